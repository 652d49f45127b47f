"""The home page: an introduction for visitors, and for each role what it can do now."""

from __future__ import annotations

import pytest
from flask import url_for

from marketplace.auth.models import Role
from marketplace.contributions import contributed
from marketplace.home import actions
from marketplace.home.actions import HomeAction

EN = {"Accept-Language": "en"}


@pytest.fixture
def add_provider(app):
    """Contribute a provider to this test's app only, as create_app's list would."""

    def add(provider):
        points = app.extensions["gongzhi.contributions"]
        points["home_cards"] = (*contributed("home_cards", app), provider)

    return add


def test_visitors_get_an_introduction_with_register_and_login(client):
    page = client.get("/").get_data(as_text=True)
    assert "共治" in page
    assert 'href="/auth/register"' in page
    assert 'href="/auth/login"' in page
    assert "修改密码" not in page


def test_a_volunteer_sees_their_section_and_the_account_actions(client, make_user, login_as):
    login_as(client, make_user(roles=[Role.VOLUNTEER], display_name="阿依古丽·买买提"))
    page = client.get("/").get_data(as_text=True)
    assert "阿依古丽·买买提，您好" in page
    assert "我的账号" in page
    assert 'href="/auth/password"' in page
    assert 'href="/language"' in page


def test_actions_are_grouped_by_the_roles_the_user_holds(
    app, client, make_user, login_as, add_provider
):
    def review_provider(user):
        return [
            HomeAction("Review organizations", "Three wait", url_for("home.index"), badge=3,
                       roles=(Role.OFFICIAL,)),
            HomeAction("Publish a shift", "For your organization", "/shifts/new",
                       roles=(Role.SOCIAL_WORKER, Role.ORG_ADMIN)),
        ]

    add_provider(review_provider)
    login_as(client, make_user(roles=[Role.VOLUNTEER, (Role.ORG_ADMIN, {})]))
    page = client.get("/", headers=EN).get_data(as_text=True)
    assert page.count("Publish a shift") == 1
    assert "Review organizations" not in page  # not an official
    assert page.index("As a volunteer") < page.index("As an organization administrator")
    assert page.index("As an organization administrator") < page.index("Publish a shift")
    assert page.index("Publish a shift") < page.index("Your account")

    official = app.test_client()
    login_as(official, make_user(roles=[(Role.OFFICIAL, {})]))
    page = official.get("/", headers=EN).get_data(as_text=True)
    assert "As an official" in page
    assert "Review organizations" in page
    assert '<span class="badge">3</span>' in page
    assert "Publish a shift" not in page


def test_every_registered_provider_gives_valid_cards_for_every_role(app, make_user):
    """Domain providers run against a user holding each role, as the home page would."""
    from marketplace.auth.models import User
    from marketplace.extensions import db

    for role in Role:
        user_id = make_user(roles=[(role, {})])
        with app.test_request_context("/"), app.app_context():
            user = db.session.get(User, user_id)
            for section in actions.home_sections(user):
                for action in section.actions:
                    assert action.title and action.url.startswith("/")


def test_the_header_home_link_reads_home_in_chinese(client, make_user, login_as):
    login_as(client, make_user())
    page = client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert 'aria-current="page">首页</a>' in page


def test_each_role_section_names_where_the_role_applies(client, make_user, login_as, geo):
    street_id = geo["street_b"]  # 昆仑路街道
    login_as(client, make_user(roles=[Role.VOLUNTEER, (Role.OFFICIAL, {"street_id": street_id})]))
    page = client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    official_heading = page.index("街道/区政府工作人员")
    assert page.index("昆仑路街道") > official_heading
