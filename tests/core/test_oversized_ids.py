"""A 20-digit integer anywhere (path, ``page=``, ``community=``, form id fields) is a 404 or a
field error, never a 500. The walk covers every route in ``app.url_map``, so routes added later
are probed without anyone listing them."""

from __future__ import annotations

import re

import pytest
from fixtures.builders import profile_form
from werkzeug.routing import IntegerConverter

from marketplace.auth.models import Role
from marketplace.bounds import MAX_ID, parse_id

OVERSIZED = "9" * 20
# Every id-holding form field name the site's forms use, filled in for each POST of the walk.
ID_FIELDS = ("object", "community_id", "grid_id", "district_id", "street_id", "community_ids")
POST_DATA = {
    **dict.fromkeys(ID_FIELDS, OVERSIZED),
    "kind": "phone",
    "purpose": "联系志愿者安排走访",
    "real_name": "王小明",
    "id_number": "11010519491231002X",
    "location_source": "centre",
    "hours_per_week": "2",
    "max_km": "3",
    "max_teams": "2",
    "privacy_consent": "y",
    "name": "乐龄社会工作服务社",
    "legal_form": "social_service_agency",
    "category": "service",
    "action": "approve",
    "reason": "测试",
    "volunteer_id": OVERSIZED,
}
ROLES = (
    None,
    Role.VOLUNTEER,
    Role.SOCIAL_WORKER,
    Role.ORG_ADMIN,
    Role.OFFICIAL,
    Role.PLATFORM_ADMIN,
)


def _oversized_urls(app) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every rule with an integer segment."""
    probes = []
    for rule in app.url_map.iter_rules():
        converters = rule._converters  # name -> converter, as the rule was compiled
        if not any(isinstance(c, IntegerConverter) for c in converters.values()):
            continue

        def fill(match, converters=converters):
            name = match.group(1).split(":")[-1]
            converter = converters[name]
            if isinstance(converter, IntegerConverter):
                return OVERSIZED
            options = re.findall(r"\w+", match.group(1).split(":")[0].partition("(")[2])
            return options[0] if options else "x"

        url = re.sub(r"<([^>]+)>", fill, rule.rule)
        for method in ("GET", "POST"):
            if method in rule.methods:
                probes.append((rule.endpoint, method, url))
    return probes


def _signed_in_clients(app, make_user, login_as):
    clients = []
    for role in ROLES:
        client = app.test_client()
        if role is not None:
            login_as(client, make_user(roles=[role]))
        clients.append((role, client))
    return clients


def test_an_oversized_integer_in_any_path_segment_is_never_a_server_error(
    app, make_user, login_as
):
    probes = _oversized_urls(app)
    endpoints = {endpoint for endpoint, _, _ in probes}
    # The walk really covers the site's id routes (organizations, teams, members, volunteers).
    assert {"orgs.detail", "teams.detail", "teams.member_action",
            "volunteers.detail"} <= endpoints
    failures = []
    for role, client in _signed_in_clients(app, make_user, login_as):
        for _endpoint, method, url in probes:
            get = method == "GET"
            response = client.get(url) if get else client.post(url, data=POST_DATA)
            if response.status_code >= 500:
                failures.append((role, method, url, response.status_code))
            elif role is not None and method == "GET":
                assert response.status_code == 404, (role, url, response.status_code)
    assert failures == []


def test_oversized_query_and_form_values_on_every_route_are_never_a_server_error(
    app, make_user, login_as
):
    """Routes without path ids get ``page=``, ``community=`` and every id form field."""
    rules = [rule for rule in app.url_map.iter_rules()
             if not rule.arguments and rule.endpoint != "static"]
    assert len(rules) >= 10
    failures = []
    for role, client in _signed_in_clients(app, make_user, login_as):
        for rule in rules:
            if "GET" in rule.methods:
                response = client.get(rule.rule, query_string={
                    "page": OVERSIZED, "community": OVERSIZED, "q": "社"})
                if response.status_code >= 500:
                    failures.append((role, "GET", rule.rule, response.status_code))
            if "POST" in rule.methods:
                response = client.post(rule.rule, data=POST_DATA)
                if response.status_code >= 500:
                    failures.append((role, "POST", rule.rule, response.status_code))
    assert failures == []


def test_ids_up_to_the_database_limit_still_route(app, client):
    assert client.get(f"/orgs/{MAX_ID}").status_code == 404
    assert client.get(f"/orgs/{MAX_ID + 1}").status_code == 404
    # Digits of other scripts are not ids either.
    assert client.get("/orgs/١٢").status_code == 404
    assert parse_id(str(MAX_ID)) == MAX_ID
    for bad in (str(MAX_ID + 1), OVERSIZED, "0", "-1", "١٢", " ", "1e3", None):
        assert parse_id(bad) is None


def test_a_page_past_the_end_shows_the_last_page(app, client, make_user, login_as):
    from marketplace.auth.models import User
    from marketplace.extensions import db

    admin = make_user(roles=[Role.PLATFORM_ADMIN], display_name="平台管理员")
    with app.app_context():
        for n in range(30):
            db.session.add(User(phone=f"137{n:08d}", display_name=f"用户{n:02d}",
                                password_hash="x"))
        db.session.commit()
    login_as(client, admin)
    def names_on(page):
        response = client.get(f"/admin/accounts?page={page}")
        assert response.status_code == 200
        return set(re.findall(r"用户\d\d|平台管理员", response.text))

    last = names_on("2")
    assert len(last) == 31 - 25
    for page in (OVERSIZED, "3", "100000"):
        assert names_on(page) == last
    first = names_on("1")
    assert len(first) == 25 and names_on("0") == first and names_on("-4") == first
    assert client.get("/orgs", query_string={"page": OVERSIZED}).status_code == 200
    assert client.get("/orgs", query_string={"community": OVERSIZED}).status_code == 200


@pytest.mark.parametrize(("field", "message"), [
    ("community_id", "Choose the community you live in."),
    ("grid_id", "This grid is not in the community you chose"),
])
def test_an_oversized_community_or_grid_is_a_field_error(
    app, client, make_user, login_as, geo, field, message
):
    login_as(client, make_user(roles=[Role.VOLUNTEER]))
    response = client.post("/me/profile/edit", data=profile_form(geo, **{field: OVERSIZED}),
                           headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert message in response.text
    zh = client.post("/me/profile/edit", data=profile_form(geo, **{field: OVERSIZED}),
                     headers={"Accept-Language": "zh-CN"})
    assert zh.status_code == 400 and message not in zh.text


def test_an_oversized_reveal_object_is_refused_without_a_query(app, client, make_user,
                                                                login_as):
    login_as(client, make_user(roles=[Role.SOCIAL_WORKER]))
    response = client.post("/privacy/reveal", data={
        "kind": "phone", "object": OVERSIZED, "purpose": "联系志愿者安排走访"})
    assert response.status_code == 400
