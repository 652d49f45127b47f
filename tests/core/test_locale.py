"""Chinese by default and for every Chinese browser; English for English browsers; a choice
made on the site wins over the browser."""

from __future__ import annotations

import pytest

from marketplace.auth.models import User
from marketplace.extensions import db
from marketplace.i18n import locale_from_header

CHINESE_HEADERS = [
    "zh-CN,zh;q=0.9,en;q=0.8",
    "zh",
    "zh-Hans",
    "zh-Hans-CN",
    "zh-TW",
    "zh_CN",
    "en;q=0.5,zh-CN",
    "fr-FR,zh-CN;q=0.8,en;q=0.5",
    "",
    None,
    "de-DE",
]
ENGLISH_HEADERS = ["en-US", "en-GB,en;q=0.9", "en", "en-US,en;q=0.9,zh-CN;q=0.8", "fr,en;q=0.5"]


@pytest.mark.parametrize("header", CHINESE_HEADERS)
def test_chinese_headers_and_no_header_select_chinese(header):
    assert locale_from_header(header) == "zh"


@pytest.mark.parametrize("header", ENGLISH_HEADERS)
def test_english_headers_select_english(header):
    assert locale_from_header(header) == "en"


def _intro(client, header):
    headers = {"Accept-Language": header} if header is not None else {}
    return client.get("/", headers=headers).get_data(as_text=True)


@pytest.mark.parametrize("header", ["zh-CN,zh;q=0.9,en;q=0.8", "zh-Hans-CN", "zh-TW", None])
def test_a_chinese_browser_gets_the_chinese_home_page(client, header):
    page = _intro(client, header)
    assert '<html lang="zh-CN">' in page
    assert "共治：一起服务我们的社区" in page
    assert "注册成为志愿者" in page
    assert "Register as a volunteer" not in page


@pytest.mark.parametrize("header", ["en-US", "en-GB,en;q=0.9"])
def test_an_english_browser_gets_the_english_home_page(client, header):
    page = _intro(client, header)
    assert '<html lang="en">' in page
    assert "Register as a volunteer" in page
    assert "注册成为志愿者" not in page


def test_the_chosen_language_overrides_the_browser(client):
    response = client.post("/language", data={"locale": "en", "next": "/auth/login"})
    assert response.headers["Location"] == "/auth/login"
    page = client.get("/auth/login", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "Mobile number" in page
    client.post("/language", data={"locale": "zh"})
    page = client.get("/auth/login", headers={"Accept-Language": "en-US"}).get_data(as_text=True)
    assert "手机号码" in page


def test_the_choice_survives_login_and_is_stored_on_the_account(app, client, make_user):
    user_id = make_user(phone="13800138000")
    client.post("/language", data={"locale": "en"})
    client.post("/auth/login", data={"phone": "13800138000", "password": "correct horse 1"})
    client.post("/language", data={"locale": "en"})
    with app.app_context():
        assert db.session.get(User, user_id).locale == "en"
    # Another device with a Chinese browser follows the account's choice.
    other = app.test_client()
    other.post("/auth/login", data={"phone": "13800138000", "password": "correct horse 1"})
    page = other.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "Your account" in page


def test_unknown_language_is_refused(client):
    assert client.post("/language", data={"locale": "fr"}).status_code == 400


def test_the_language_page_offers_both_languages(client):
    page = client.get("/language?next=/auth/login").get_data(as_text=True)
    assert 'value="zh"' in page
    assert 'value="en"' in page
    assert 'name="next" value="/auth/login"' in page


def test_registering_keeps_the_language_chosen_before(app, client):
    client.post("/language", data={"locale": "en"})
    client.post(
        "/auth/register",
        data={"phone": "13800138000", "display_name": "Ali", "password": "long walk home 7",
              "confirm": "long walk home 7"},
    )
    with app.app_context():
        assert db.session.execute(db.select(User)).scalar_one().locale == "en"
    assert "Your account" in client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(
        as_text=True
    )
