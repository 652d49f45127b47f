"""Errors answer in the site's frame and the user's language, or as JSON for JSON clients;
every page names its icons and describes itself."""

from __future__ import annotations

import pytest
from flask import abort

from marketplace.auth.access import public

ZH = {"Accept-Language": "zh-CN"}
EN = {"Accept-Language": "en"}
JSON = {"Accept": "application/json"}


@pytest.fixture
def failing_app(app):
    """The app with routes that fail in each way, and unhandled errors answered as in
    production instead of raised into the test."""
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @public
    def fail(status: int):
        if status == 500:
            raise RuntimeError("a bug")
        abort(status)

    app.add_url_rule("/test-fail/<int:status>", "test_fail", fail, methods=["GET"])
    return app


@pytest.mark.parametrize(
    ("status", "chinese", "english"),
    [
        (400, "请求有误", "Bad request"),
        (403, "无权访问", "Not allowed"),
        (404, "找不到页面", "Page not found"),
        (413, "内容过大", "Too large"),
        (429, "请求过于频繁", "Too many requests"),
        (500, "出错了", "Something went wrong"),
    ],
)
def test_each_error_has_a_site_page_in_both_languages_and_a_json_body(
    failing_app, status, chinese, english
):
    client = failing_app.test_client()
    zh = client.get(f"/test-fail/{status}", headers=ZH)
    assert zh.status_code == status and zh.mimetype == "text/html"
    page = zh.get_data(as_text=True)
    assert chinese in page and 'class="site-header"' in page and 'href="/"' in page
    assert "返回首页" in page
    en = client.get(f"/test-fail/{status}", headers=EN).get_data(as_text=True)
    assert english in en and "Back to the home page" in en
    data = client.get(f"/test-fail/{status}", headers=JSON | ZH)
    assert data.status_code == status and data.mimetype == "application/json"
    assert data.get_json()["error"]["status"] == status
    assert data.get_json()["error"]["title"] == chinese
    assert client.get(f"/test-fail/{status}", headers=JSON | EN).get_json()["error"][
        "title"] == english


def test_a_mistyped_address_and_a_missing_organization_get_the_chinese_page(client, geo):
    for url in ("/nope", "/orgs/99999", "/teams/99999"):
        response = client.get(url, headers=ZH)
        assert response.status_code == 404
        page = response.get_data(as_text=True)
        assert "找不到页面" in page and "Not Found" not in page
    english = client.get("/nope", headers=EN).get_data(as_text=True)
    assert "Page not found" in english


def test_api_paths_answer_json_even_to_a_browser(client):
    response = client.get("/api/nothing-here", headers={"Accept": "text/html"} | EN)
    assert response.status_code == 404 and response.mimetype == "application/json"
    # The API's error body: the status, the message, and messages by field (none here).
    assert response.get_json() == {
        "code": 404,
        "message": "There is no page at this address, or it is not open to you.",
        "errors": {},
    }


def test_method_not_allowed_keeps_the_allow_header(client):
    response = client.get("/privacy/reveal", headers=ZH)
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    assert "无法以此方式操作" in response.get_data(as_text=True)
    data = client.delete("/orgs", headers=JSON | EN)
    assert data.status_code == 405 and "GET" in data.headers["Allow"]
    assert data.get_json()["error"]["title"] == "Not possible this way"


def test_favicon_and_home_screen_icons_are_served(client):
    favicon = client.get("/favicon.ico")
    assert favicon.status_code == 200 and favicon.data[:4] == b"\x00\x00\x01\x00"
    page = client.get("/").get_data(as_text=True)
    for icon in ("/static/icons/icon-32.png", "/static/icons/apple-touch-icon.png"):
        assert f'href="{icon}"' in page
        response = client.get(icon)
        assert response.status_code == 200 and response.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert 'rel="manifest" href="/static/manifest.webmanifest"' in page
    manifest = client.get("/static/manifest.webmanifest").get_json(force=True)
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


@pytest.mark.parametrize("url", ["/", "/orgs", "/privacy", "/auth/login", "/auth/register"])
def test_public_pages_describe_themselves_in_the_users_language(client, url):
    marker = '<meta name="description" content="'
    descriptions = []
    for headers in (ZH, EN):
        page = client.get(url, headers=headers).get_data(as_text=True)
        start = page.index(marker) + len(marker)
        descriptions.append(page[start:page.index('"', start)])
    chinese, english = descriptions
    assert len(chinese) > 20 and len(english) > 20
    assert chinese != english and any("\u4e00" <= ch <= "\u9fff" for ch in chinese)
