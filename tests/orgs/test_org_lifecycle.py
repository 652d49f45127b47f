"""Organization registration and life cycle: every transition, who may make it, and records."""

from __future__ import annotations

import pytest
from fixtures.builders import valid_code
from sqlalchemy import select

from marketplace.audit.models import AuditRecord
from marketplace.auth.models import Role, RoleGrant
from marketplace.extensions import db
from marketplace.orgs.models import Organization, OrgStatus, OrgTransition


def _status(app, org_id):
    with app.app_context():
        return db.session.get(Organization, org_id).status


def _steps(app, org_id):
    with app.app_context():
        return [
            (t.from_status.value, t.to_status.value, t.actor_id, t.actor_role, t.reason)
            for t in db.session.scalars(
                select(OrgTransition).where(OrgTransition.organization_id == org_id)
                .order_by(OrgTransition.id)
            )
        ]


def _decide(client, org_id, action, reason=""):
    return client.post(f"/orgs/{org_id}/decision", data={"action": action, "reason": reason},
                       follow_redirects=True)


def test_a_user_registers_an_organization_and_becomes_its_admin(app, client, login_as, geo,
                                                                people):
    login_as(client, people["founder"])
    code = valid_code("social_service_agency")
    response = client.post("/orgs/new", data={
        "name": "克拉玛依区乐龄社会工作服务社", "legal_form": "social_service_agency",
        "category": "service", "uscc": code.lower(), "district_id": geo["district"],
        "street_id": "", "community_ids": [geo["communities"][0], geo["communities"][1]],
        "contact_name": "张丽", "contact_phone": "13912345678",
        "domains": ["elder_care", "education"], "profile": "为老服务",
    })
    assert response.status_code == 302
    with app.app_context():
        org = db.session.scalars(select(Organization)).one()
        assert (org.status, org.uscc) == (OrgStatus.DRAFT, code)
        assert [c.id for c in org.communities] == geo["communities"][:2]
        assert {d.value for d in org.domains} == {"elder_care", "education"}
        assert org.name_initials == "klmyqllshgzfws"
        grant = db.session.scalars(select(RoleGrant).where(
            RoleGrant.user_id == people["founder"])).one()
        assert (grant.role, grant.organization_id) == (Role.ORG_ADMIN, org.id)
    page = client.get(response.location)
    assert "13912345678" in page.text  # the admin sees the full phone


@pytest.mark.parametrize(
    "overrides, field_message",
    [
        ({"uscc": "91350100M000100Y44"}, "check character"),
        ({"uscc": "91350100M000100Y43"}, "52"),
        ({"legal_form": "community_org", "uscc": ""}, "street office"),
        ({"contact_phone": "12345"}, "landline"),
    ],
)
def test_registration_errors_name_the_field(app, client, login_as, geo, people, overrides,
                                            field_message):
    login_as(client, people["founder"])
    data = {"name": "某服务社", "legal_form": "social_service_agency", "category": "service",
            "uscc": valid_code("social_service_agency"), "district_id": geo["district"],
            "street_id": "", "contact_name": "张丽", "contact_phone": "13912345678",
            "headers": None}
    data.pop("headers")
    data.update(overrides)
    response = client.post("/orgs/new", data=data, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert field_message in response.text
    assert 'class="field-error"' in response.text
    with app.app_context():
        assert db.session.scalar(select(Organization.id)) is None


def test_credit_codes_are_unique(app, client, login_as, geo, people, make_org):
    org_id = make_org()
    with app.app_context():
        code = db.session.get(Organization, org_id).uscc
    login_as(client, people["founder"])
    response = client.post("/orgs/new", headers={"Accept-Language": "en"}, data={
        "name": "另一家", "legal_form": "social_service_agency", "category": "service",
        "uscc": code, "district_id": geo["district"], "street_id": ""})
    assert "Another organization is registered with this code" in response.text


def test_community_org_is_filed_without_a_code_and_decided_by_its_street(
        app, client, login_as, people, make_org):
    org_id = make_org(people["founder"], name="百花社区夕阳红志愿者协会",
                      legal_form="community_org")
    login_as(client, people["founder"])
    client.post(f"/orgs/{org_id}/submit")
    assert _status(app, org_id) == OrgStatus.SUBMITTED

    for outsider in ("other_street_official", "other_district_official", "volunteer"):
        login_as(client, people[outsider])
        assert client.post(f"/orgs/{org_id}/decision", data={"action": "approve"}
                           ).status_code == 404
        assert client.get(f"/orgs/{org_id}").status_code == 404
    login_as(client, people["street_official"])
    assert "百花社区夕阳红志愿者协会" in client.get("/orgs/review").text
    _decide(client, org_id, "approve")
    assert _status(app, org_id) == OrgStatus.APPROVED
    page = client.get(f"/orgs/{org_id}", headers={"Accept-Language": "zh-CN"}).text
    assert "已备案" in page and "备案机关" in page and "胜利路街道" in page
    # The history names who acted in which role.
    assert "已提交，待审核 → 已通过 · 主管部门办理" in page


def test_street_official_cannot_decide_other_legal_forms(app, client, login_as, people,
                                                         make_org):
    org_id = make_org(people["founder"], status="submitted", street="street_a")
    login_as(client, people["street_official"])
    assert "乐龄" not in client.get("/orgs/review").text
    assert client.post(f"/orgs/{org_id}/decision", data={"action": "approve"}
                       ).status_code == 404
    login_as(client, people["district_official"])
    _decide(client, org_id, "approve")
    assert _status(app, org_id) == OrgStatus.APPROVED
    assert "已登记" in client.get(f"/orgs/{org_id}").text


def test_full_life_cycle_is_recorded_with_actor_role_and_reason(app, client, login_as, people,
                                                                make_org):
    founder, official = people["founder"], people["district_official"]
    org_id = make_org(founder)
    login_as(client, founder)
    client.post(f"/orgs/{org_id}/submit")
    login_as(client, official)
    page = _decide(client, org_id, "return", "")
    assert _status(app, org_id) == OrgStatus.SUBMITTED  # a return needs reasons
    assert "Give a reason" in page.text or "请说明理由" in page.text
    _decide(client, org_id, "return", "章程缺少业务范围")
    login_as(client, founder)
    assert "章程缺少业务范围" in client.get(f"/orgs/{org_id}").text
    client.post(f"/orgs/{org_id}/submit")
    login_as(client, official)
    _decide(client, org_id, "approve")
    _decide(client, org_id, "suspend", "")
    assert _status(app, org_id) == OrgStatus.APPROVED
    _decide(client, org_id, "suspend", "年检未通过")
    _decide(client, org_id, "reinstate")
    _decide(client, org_id, "deregister", "自行解散")
    assert _status(app, org_id) == OrgStatus.DEREGISTERED
    assert _steps(app, org_id) == [
        ("draft", "submitted", founder, "org_admin", None),
        ("submitted", "returned", official, "official", "章程缺少业务范围"),
        ("returned", "submitted", founder, "org_admin", None),
        ("submitted", "approved", official, "official", None),
        ("approved", "suspended", official, "official", "年检未通过"),
        ("suspended", "approved", official, "official", None),
        ("approved", "deregistered", official, "official", "自行解散"),
    ]
    with app.app_context():
        actions = db.session.scalars(
            select(AuditRecord.action).where(AuditRecord.object_type == "organization")
            .order_by(AuditRecord.id)).all()
    assert actions == ["org.submit", "org.return", "org.submit", "org.approve", "org.suspend",
                       "org.reinstate", "org.deregister"]
    # Deregistered is terminal.
    for action in ("approve", "reinstate", "suspend", "deregister"):
        _decide(client, org_id, action, "再试")
        assert _status(app, org_id) == OrgStatus.DEREGISTERED
    assert client.get(f"/orgs/{org_id}", headers={"Accept-Language": "en"}).status_code == 200


def test_suspended_org_can_be_deregistered(app, client, login_as, people, make_org):
    org_id = make_org(status="suspended")
    login_as(client, people["district_official"])
    _decide(client, org_id, "deregister", "")
    assert _status(app, org_id) == OrgStatus.SUSPENDED
    _decide(client, org_id, "deregister", "注销登记")
    assert _status(app, org_id) == OrgStatus.DEREGISTERED


@pytest.mark.parametrize(
    "status, action",
    [("draft", "approve"), ("draft", "return"), ("approved", "approve"),
     ("approved", "reinstate"), ("returned", "approve"), ("submitted", "suspend"),
     ("submitted", "deregister"), ("suspended", "suspend"), ("approved", "explode")],
)
def test_invalid_transitions_are_refused_with_a_message(app, client, login_as, people,
                                                        make_org, status, action):
    org_id = make_org(status=status)
    login_as(client, people["district_official"])
    page = _decide(client, org_id, action, "理由")
    assert _status(app, org_id) == OrgStatus(status)
    assert 'class="flash flash-error"' in page.text
    assert _steps(app, org_id) == []


def test_only_the_org_admin_submits_and_only_officials_decide(app, client, login_as, people,
                                                              make_org):
    org_id = make_org(people["founder"])
    for user in ("stranger_admin", "district_official", "volunteer"):
        login_as(client, people[user])
        assert client.post(f"/orgs/{org_id}/submit").status_code == 404
    assert _status(app, org_id) == OrgStatus.DRAFT
    login_as(client, people["founder"])
    client.post(f"/orgs/{org_id}/submit")
    # The admin of the organization cannot approve it.
    assert client.post(f"/orgs/{org_id}/decision", data={"action": "approve"}
                       ).status_code == 404
    assert _status(app, org_id) == OrgStatus.SUBMITTED


def test_submission_needs_a_valid_credit_code_unless_community_org(app, client, login_as,
                                                                   people, make_org):
    org_id = make_org(people["founder"])
    with app.app_context():
        db.session.get(Organization, org_id).uscc = None
        db.session.commit()
    login_as(client, people["founder"])
    page = client.post(f"/orgs/{org_id}/submit", follow_redirects=True,
                       headers={"Accept-Language": "en"})
    assert "unified social credit code" in page.text
    assert _status(app, org_id) == OrgStatus.DRAFT


def test_edit_only_while_draft_or_returned(app, client, login_as, geo, people, make_org):
    org_id = make_org(people["founder"], status="approved")
    login_as(client, people["founder"])
    response = client.post(f"/orgs/{org_id}/edit", headers={"Accept-Language": "en"}, data={
        "name": "改名", "legal_form": "social_service_agency", "category": "service",
        "uscc": valid_code("social_service_agency"), "district_id": geo["district"]})
    assert "Only a draft or a returned registration" in response.text
    login_as(client, people["stranger_admin"])
    assert client.get(f"/orgs/{org_id}/edit").status_code == 404


def test_unapproved_organizations_are_hidden_from_the_public(app, client, login_as, people,
                                                             make_org):
    org_id = make_org(people["founder"], status="submitted")
    assert client.get(f"/orgs/{org_id}").status_code == 404
    assert client.get(f"/orgs/{org_id}.json").status_code == 404
    login_as(client, people["district_official"])
    assert client.get(f"/orgs/{org_id}").status_code == 200
    login_as(client, people["other_district_official"])
    assert client.get(f"/orgs/{org_id}").status_code == 404
    assert client.get("/orgs/review").status_code == 200
    assert "乐龄" not in client.get("/orgs/review").text
    login_as(client, people["volunteer"])
    assert client.get("/orgs/review").status_code == 404


def test_returned_registration_is_corrected_and_resubmitted(app, client, login_as, geo, people,
                                                            make_org):
    org_id = make_org(people["founder"], status="returned", communities=[0],
                      domains=["elder_care"])
    login_as(client, people["founder"])
    form = client.get(f"/orgs/{org_id}/edit").text
    assert 'value="乐龄社会工作服务社"' in form
    assert f'value="{geo["communities"][0]}" checked' in form
    assert 'value="elder_care" checked' in form
    code = valid_code("social_service_agency")
    response = client.post(f"/orgs/{org_id}/edit", data={
        "name": "克拉玛依区乐龄社会工作服务社", "legal_form": "social_service_agency",
        "category": "charity", "uscc": code, "district_id": geo["district"], "street_id": "",
        "community_ids": [geo["communities"][2]], "contact_name": "李梅",
        "contact_phone": "0990-6231234", "domains": ["child_youth"], "profile": "修改后"})
    assert response.status_code == 302
    with app.app_context():
        org = db.session.get(Organization, org_id)
        assert (org.name_initials, org.uscc, org.category.value) == (
            "klmyqllshgzfws", code, "charity")
        assert [c.id for c in org.communities] == [geo["communities"][2]]
        assert [d.value for d in org.domains] == ["child_youth"]
    client.post(f"/orgs/{org_id}/submit")
    assert _status(app, org_id) == OrgStatus.SUBMITTED
    assert client.get(f"/orgs/{org_id}/edit").status_code == 200
    page = client.post(f"/orgs/{org_id}/edit", data={"name": "再改"},
                       headers={"Accept-Language": "en"})
    assert _status(app, org_id) == OrgStatus.SUBMITTED
    with app.app_context():
        assert db.session.get(Organization, org_id).name == "克拉玛依区乐龄社会工作服务社"
    assert page.status_code == 200


def test_my_organizations_lists_the_admins_own(client, login_as, people, make_org):
    make_org(people["founder"], name="甲服务社")
    make_org(people["stranger_admin"], name="乙服务社")
    login_as(client, people["founder"])
    page = client.get("/orgs/mine").text
    assert "甲服务社" in page and "乙服务社" not in page


@pytest.mark.parametrize("reason", ["\u200b\u200b\u200b", "\u202e\u202e", "\u3164", "年检\x00"])
def test_a_suspension_needs_a_reason_a_reader_can_see(app, client, login_as, people, make_org,
                                                      reason):
    org_id = make_org(status="approved")
    login_as(client, people["district_official"])
    page = client.post(f"/orgs/{org_id}/decision", data={"action": "suspend", "reason": reason},
                       follow_redirects=True, headers={"Accept-Language": "en"})
    assert _status(app, org_id) == OrgStatus.APPROVED
    assert 'class="flash flash-error"' in page.text and "Reason:" in page.text
    assert _steps(app, org_id) == []


@pytest.mark.parametrize("name", ["乐龄\x00社", "\u202e社工服务社", "\u200b\u200b\u200b"])
def test_organization_names_with_control_or_override_characters_are_refused(
    app, client, login_as, geo, people, name
):
    login_as(client, people["founder"])
    response = client.post("/orgs/new", headers={"Accept-Language": "en"}, data={
        "name": name, "legal_form": "community_org", "category": "service",
        "district_id": geo["district"], "street_id": geo["street_a"],
        "profile": "第一段\r\n第二段",
    })
    assert response.status_code == 200 and "Name:" in response.text
    with app.app_context():
        assert db.session.scalars(select(Organization)).all() == []
