"""What the home page offers from the registry, per role."""

from __future__ import annotations

from marketplace.auth.models import Role


def test_org_admin_sees_status_and_next_step(client, login_as, people, make_org):
    org_id = make_org(people["founder"], status="returned")
    login_as(client, people["founder"])
    page = client.get("/", headers={"Accept-Language": "zh-CN"}).text
    assert "乐龄社会工作服务社 · 已退回修改" in page
    assert "请查看理由，修改后重新提交" in page
    assert f'href="/orgs/{org_id}"' in page


def test_official_sees_how_many_await_their_decision(client, login_as, people, make_org):
    make_org(status="submitted")
    make_org(name="百花社区秧歌队", legal_form="community_org", status="submitted")
    make_org(name="幸福社区秧歌队", legal_form="community_org", status="submitted",
             street="street_b")
    make_org(name="迎宾社区秧歌队", legal_form="community_org", status="approved")
    expectations = {"district_official": 3, "street_official": 1,
                    "other_district_official": None}
    for who, count in expectations.items():
        login_as(client, people[who])
        page = client.get("/", headers={"Accept-Language": "en"}).text
        assert "Organizations awaiting your decision" in page
        assert 'href="/orgs/review"' in page
        if count:
            assert f'<span class="badge">{count}</span>' in page
        else:
            assert '<span class="badge">' not in page


def test_volunteer_sees_my_teams_with_invitations(app, client, login_as, make_user,
                                                  make_profile, make_org, people):
    from marketplace.extensions import db
    from marketplace.teams.models import MembershipState, TeamKind, TeamMembership, VolunteerTeam

    volunteer = make_user(roles=[Role.VOLUNTEER])
    profile = make_profile(volunteer)
    org_id = make_org(people["founder"], status="approved")
    with app.app_context():
        team = VolunteerTeam(organization_id=org_id, name="合唱队", kind=TeamKind.CHOIR)
        db.session.add(team)
        db.session.flush()
        db.session.add(TeamMembership(team_id=team.id, volunteer_id=profile,
                                      state=MembershipState.INVITED))
        db.session.commit()
    login_as(client, volunteer)
    page = client.get("/", headers={"Accept-Language": "zh-CN"}).text
    assert "我的队伍" in page and 'href="/teams/mine"' in page
    assert '<span class="badge">1</span>' in page
