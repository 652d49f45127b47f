from __future__ import annotations

from fixtures.builders import make_id_number

from marketplace.audit.models import AuditRecord
from marketplace.auth.models import Role
from marketplace.extensions import db
from marketplace.teams.models import MembershipState

NUMBER = make_id_number("19581231", 77)
PHONE = "18912345678"


def _setup(volunteer, team_of, geo, make_user, state=MembershipState.ACTIVE):
    _, profile_id = volunteer(phone=PHONE, id_number=NUMBER)
    org_id = team_of(profile_id, geo["district"], state=state)
    social_worker = make_user(roles=[(Role.SOCIAL_WORKER, {"organization_id": org_id})])
    return profile_id, org_id, social_worker


def _audits(app):
    with app.app_context():
        return db.session.execute(db.select(AuditRecord)).scalars().all()


def test_staff_of_the_team_see_masked_values(
    app, client, login_as, make_user, volunteer, team_of, geo
):
    profile_id, org_id, social_worker = _setup(volunteer, team_of, geo, make_user)
    admin = make_user(roles=[(Role.ORG_ADMIN, {"organization_id": org_id})])
    for staff in (social_worker, admin):
        login_as(client, staff)
        page = client.get(f"/volunteers/{profile_id}").get_data(as_text=True)
        assert "650***********" + NUMBER[-4:] in page and "189****5678" in page
        assert NUMBER not in page and PHONE not in page
        assert "王小明" in page  # staff of the team need the name itself


def test_out_of_scope_users_get_404(app, client, login_as, make_user, volunteer, team_of, geo):
    profile_id, _, _ = _setup(volunteer, team_of, geo, make_user)
    other_org = team_of(volunteer(id_number=make_id_number("19900101", 5))[1], geo["district"])
    outsiders = [
        make_user(roles=[(Role.SOCIAL_WORKER, {"organization_id": other_org})]),
        make_user(roles=[(Role.OFFICIAL, {"district_id": geo["district"]})]),
        make_user(roles=[Role.VOLUNTEER]),
        make_user(roles=[Role.PLATFORM_ADMIN]),
    ]
    for outsider in outsiders:
        login_as(client, outsider)
        assert client.get(f"/volunteers/{profile_id}").status_code == 404
        response = client.post(
            "/privacy/reveal", data={"kind": "id_number", "object": profile_id,
                                     "purpose": "联系志愿者安排走访"}
        )
        assert response.status_code == 404
        assert NUMBER not in response.get_data(as_text=True)
    assert _audits(app) == []


def test_past_members_are_out_of_scope(app, client, login_as, make_user, volunteer, team_of, geo):
    profile_id, _, social_worker = _setup(
        volunteer, team_of, geo, make_user, state=MembershipState.LEFT
    )
    login_as(client, social_worker)
    assert client.get(f"/volunteers/{profile_id}").status_code == 404


def test_reveal_needs_a_purpose(app, client, login_as, make_user, volunteer, team_of, geo):
    profile_id, _, social_worker = _setup(volunteer, team_of, geo, make_user)
    login_as(client, social_worker)
    for purpose in ("", "   ", "abc"):
        response = client.post(
            "/privacy/reveal", data={"kind": "id_number", "object": profile_id, "purpose": purpose},
            headers={"Accept-Language": "en"},
        )
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert NUMBER not in page and "at least 4 characters" in page
    assert client.post(
        "/privacy/reveal", data={"kind": "address", "object": profile_id, "purpose": "走访安排"}
    ).status_code == 400
    assert _audits(app) == []


def test_reveal_shows_the_value_once_and_is_audited(
    app, client, login_as, make_user, volunteer, team_of, geo
):
    profile_id, _, social_worker = _setup(volunteer, team_of, geo, make_user)
    login_as(client, social_worker)
    response = client.post(
        "/privacy/reveal",
        data={"kind": "id_number", "object": profile_id, "purpose": "办理意外保险"},
    )
    assert response.status_code == 200
    assert NUMBER in response.get_data(as_text=True)
    assert "no-store" in response.headers["Cache-Control"]
    response = client.post(
        "/privacy/reveal",
        data={"kind": "phone", "object": profile_id, "purpose": "电话通知走访时间"},
    )
    assert PHONE in response.get_data(as_text=True)
    records = _audits(app)
    assert [(r.action, r.object_type, r.object_id, r.reason, r.actor_id, r.actor_role)
            for r in records] == [
        ("reveal.id_number", "volunteer_profile", str(profile_id), "办理意外保险",
         social_worker, "social_worker"),
        ("reveal.phone", "volunteer_profile", str(profile_id), "电话通知走访时间",
         social_worker, "social_worker"),
    ]
    # The detail page afterwards is masked again.
    page = client.get(f"/volunteers/{profile_id}").get_data(as_text=True)
    assert NUMBER not in page and PHONE not in page


def test_reveal_requires_csrf_token(app, client, login_as, make_user, volunteer, team_of, geo):
    profile_id, _, social_worker = _setup(volunteer, team_of, geo, make_user)
    login_as(client, social_worker)
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(
        "/privacy/reveal", data={"kind": "id_number", "object": profile_id, "purpose": "办理保险"}
    )
    assert response.status_code == 400
    assert NUMBER not in response.get_data(as_text=True)
    assert _audits(app) == []
    # With the token of the detail page's form the same request goes through.
    page = client.get(f"/volunteers/{profile_id}").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/privacy/reveal",
        data={"kind": "id_number", "object": profile_id, "purpose": "办理保险",
              "csrf_token": token},
    )
    assert response.status_code == 200 and len(_audits(app)) == 1


def test_reveal_only_by_post(client, login_as, make_user):
    login_as(client, make_user(roles=[Role.SOCIAL_WORKER]))
    assert client.get("/privacy/reveal").status_code == 405


def test_privacy_notice_is_public_in_both_languages(client):
    chinese = client.get("/privacy", headers={"Accept-Language": "zh-CN"})
    assert chinese.status_code == 200
    text = chinese.get_data(as_text=True)
    assert "2026-11" in text and "隐私" in text and "第24条" in text
    english = client.get("/privacy", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "2026-11" in english and "PIPL art. 24" in english and "art. 45" in english


def test_reveals_are_limited_per_hour(app, client, login_as, make_user, volunteer, team_of, geo):
    from marketplace.privacy.services import REVEALS_PER_HOUR

    profile_id, org_id, social_worker = _setup(volunteer, team_of, geo, make_user)
    login_as(client, social_worker)
    form = {"kind": "phone", "object": profile_id, "purpose": "电话通知走访时间"}
    for _ in range(REVEALS_PER_HOUR):
        assert client.post("/privacy/reveal", data=form).status_code == 200
    refused = client.post("/privacy/reveal", data=form, headers={"Accept-Language": "zh-CN"})
    assert refused.status_code == 429
    body = refused.get_data(as_text=True)
    assert PHONE not in body and "查看次数过多" in body
    assert len(_audits(app)) == REVEALS_PER_HOUR
    # A colleague is not held back by another social worker's count.
    colleague = make_user(roles=[(Role.SOCIAL_WORKER, {"organization_id": org_id})])
    login_as(client, colleague)
    assert client.post("/privacy/reveal", data=form).status_code == 200


def test_audit_names_the_role_held_in_the_volunteers_organization(
    app, client, login_as, make_user, volunteer, team_of, geo
):
    _, profile_id = volunteer(phone=PHONE, id_number=NUMBER)
    other_org = team_of(volunteer(id_number=make_id_number("19900101", 9))[1], geo["district"])
    org_id = team_of(profile_id, geo["district"])
    # A social worker elsewhere who administers the volunteer's organization.
    both = make_user(roles=[(Role.SOCIAL_WORKER, {"organization_id": other_org}),
                            (Role.ORG_ADMIN, {"organization_id": org_id})])
    login_as(client, both)
    client.post("/privacy/reveal",
                data={"kind": "phone", "object": profile_id, "purpose": "电话通知走访时间"})
    assert [record.actor_role for record in _audits(app)] == ["org_admin"]


def test_a_purpose_of_invisible_or_override_characters_reveals_nothing(
    app, client, login_as, make_user, volunteer, team_of, geo
):
    profile_id, _, social_worker = _setup(volunteer, team_of, geo, make_user)
    login_as(client, social_worker)
    for purpose in ("\u200b\u200b\u200b\u200b", "\u202e\u202e\u202e\u202e", "\u3164" * 6,
                    "ab\u200b\u200b", "办理\x00保险"):
        response = client.post(
            "/privacy/reveal", data={"kind": "id_number", "object": profile_id,
                                     "purpose": purpose},
            headers={"Accept-Language": "en"},
        )
        assert response.status_code == 400
        assert NUMBER not in response.text and "Purpose" in response.text
    assert _audits(app) == []
