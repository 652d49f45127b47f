"""Public directory: only approved organizations, filters, pinyin search, pagination, a fixed
number of SQL queries per page, and masked contact phones."""

from __future__ import annotations

import re

import pytest

from marketplace.extensions import db


def _names(html: str) -> list[str]:
    return re.findall(r'<h2 class="card-title"><a href="/orgs/\d+">([^<]+)</a>', html)


@pytest.fixture
def listed(make_org):
    """Approved organizations of several kinds, plus some that must never be listed."""
    make_org(name="克拉玛依区乐龄社会工作服务社", status="approved", communities=[0, 1],
             domains=["elder_care"])
    make_org(name="百花社区夕阳红志愿者协会", legal_form="community_org", status="approved",
             category="culture_sports", communities=[0], domains=["culture", "elder_care"])
    make_org(name="克拉玛依区义工联合会", legal_form="social_group", status="approved",
             category="charity", communities=[2], domains=["education"])
    make_org(name="幸福社区调解协会", legal_form="community_org", status="approved",
             category="rights", communities=[2], domains=["public_security"])
    for status in ("draft", "submitted", "returned", "suspended", "deregistered"):
        make_org(name=f"未公开{status}服务社", status=status)
    make_org(name="百花社区居民委员会", legal_form="residents_committee", status="approved")


def test_only_approved_organizations_are_listed_sorted_by_pinyin(client, listed):
    html = client.get("/orgs").text
    # baihua… < kelamayi…(lelingshe) < kelamayi…(yigong) < xingfu…
    assert _names(html) == ["百花社区夕阳红志愿者协会", "克拉玛依区乐龄社会工作服务社",
                            "克拉玛依区义工联合会", "幸福社区调解协会"]
    assert "未公开" not in html and "居民委员会" not in html
    assert "已备案" in html and "已登记" in html


@pytest.mark.parametrize(
    "query, expected",
    [
        ("q=乐龄", ["克拉玛依区乐龄社会工作服务社"]),
        ("q=lelingshe", ["克拉玛依区乐龄社会工作服务社"]),
        ("q=LeLing", ["克拉玛依区乐龄社会工作服务社"]),
        ("q=llshgz", ["克拉玛依区乐龄社会工作服务社"]),
        ("q=xyh", ["百花社区夕阳红志愿者协会"]),
        ("q=%25", []),
        ("legal_form=community_org", ["百花社区夕阳红志愿者协会", "幸福社区调解协会"]),
        ("legal_form=social_group", ["克拉玛依区义工联合会"]),
        ("category=rights", ["幸福社区调解协会"]),
        ("domain=elder_care", ["百花社区夕阳红志愿者协会", "克拉玛依区乐龄社会工作服务社"]),
        ("community=COMMUNITY1", ["克拉玛依区乐龄社会工作服务社"]),
        ("community=COMMUNITY0&domain=culture", ["百花社区夕阳红志愿者协会"]),
        ("legal_form=bogus", None),
    ],
)
def test_filters_and_pinyin_search(client, geo, listed, query, expected):
    query = query.replace("COMMUNITY0", str(geo["communities"][0]))
    query = query.replace("COMMUNITY1", str(geo["communities"][1]))
    html = client.get(f"/orgs?{query}").text
    if expected is None:  # an unknown filter value is ignored, not an error
        assert len(_names(html)) == 4
    else:
        assert _names(html) == expected


def test_pagination_keeps_filters(client, make_org):
    for n in range(25):
        make_org(name=f"社区文体协会{n:02d}", legal_form="community_org", status="approved",
                 category="culture_sports")
    first = client.get("/orgs?category=culture_sports").text
    second = client.get("/orgs?category=culture_sports&page=2").text
    assert len(_names(first)) == 20 and len(_names(second)) == 5
    assert not set(_names(first)) & set(_names(second))
    assert "category=culture_sports" in first and "page=2" in first
    # A page past the end clamps to the last one.
    assert _names(client.get("/orgs?category=culture_sports&page=99").text) == _names(second)


def test_directory_issues_a_bounded_number_of_queries(app, client, make_org, count_queries):
    def add(n):
        for i in range(n):
            make_org(name=f"服务社{i:03d}{n}", status="approved", communities=[0, 1, 2],
                     domains=["elder_care", "culture"])

    add(5)
    few = count_queries(client, "/orgs")
    add(45)
    many = count_queries(client, "/orgs")
    assert few == many
    assert many <= 8
    # A full page of 20 with a search still costs the same.
    assert count_queries(client, "/orgs?q=fws&domain=culture") == many


def test_contact_phone_is_masked_for_everyone_but_the_orgs_staff(app, client, login_as, people,
                                                                 make_org, make_user):
    from marketplace.auth.models import Role

    org_id = make_org(people["founder"], status="approved", contact_phone="13987654321")
    social_worker = make_user(roles=[(Role.SOCIAL_WORKER, {"organization_id": org_id})])
    other_org = make_org(people["stranger_admin"], name="另一家服务社", status="approved")
    other_admin = people["stranger_admin"]
    assert other_org != org_id
    for who in (None, people["volunteer"], people["district_official"], other_admin):
        if who:
            login_as(client, who)
        page = client.get(f"/orgs/{org_id}").text
        data = client.get(f"/orgs/{org_id}.json").get_json()
        directory = client.get("/orgs").text
        for text in (page, str(data), directory):
            assert "13987654321" not in text
        assert "139****4321" in page
        assert data["contact_phone"] == "139****4321"
        assert data["name"] == "乐龄社会工作服务社"
    for who in (people["founder"], social_worker):
        login_as(client, who)
        assert "13987654321" in client.get(f"/orgs/{org_id}").text
        assert client.get(f"/orgs/{org_id}.json").get_json()["contact_phone"] == "13987654321"


def test_organization_page_shows_teams_and_nothing_for_panels_not_contributed(
    app, client, make_org
):
    from marketplace.teams.models import TeamKind, VolunteerTeam

    org_id = make_org(status="approved")
    with app.app_context():
        db.session.add(VolunteerTeam(organization_id=org_id, name="银龄书法队",
                                     kind=TeamKind.CALLIGRAPHY_PAINTING))
        db.session.commit()
    zh = client.get(f"/orgs/{org_id}", headers={"Accept-Language": "zh-CN"}).text
    assert "银龄书法队" in zh and "书法绘画" in zh
    # Projects and hours contribute their own panels; until then the page shows nothing
    # for them rather than a promise.
    assert "暂无正在招募的项目" not in zh and "目前尚无记录" not in zh
    en = client.get(f"/orgs/{org_id}", headers={"Accept-Language": "en"}).text
    assert "Volunteer teams" in en and "Calligraphy and painting" in en
    assert "No open projects yet" not in en and "none have been recorded yet" not in en
