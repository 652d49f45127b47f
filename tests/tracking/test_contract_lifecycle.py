"""An official records, signs, starts, evaluates, pays and closes a contract; every step is
audited exactly once; edits after signing are versions with who and why."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from marketplace.audit.models import AuditRecord
from marketplace.auth.models import User
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.tracking import contracts
from marketplace.tracking.models import Contract, ContractState, MilestoneState


def _audit(app, action):
    with app.app_context():
        return db.session.scalar(select(func.count(AuditRecord.id)).where(
            AuditRecord.action == action))


def _form(geo, org_id, **changes):
    data = {
        "title": "社区助老服务项目", "buyer": f"district:{geo['district']}",
        "organization_id": str(org_id), "domain": "elder_care", "budget": "300000",
        "starts_on": "2026-01-01", "ends_on": "2026-12-31", "target_verified_hours": "500",
        "target_households_served": "50", "target_flags": ["empty_nest"],
    }
    data.update(changes)
    return data


def test_an_official_creates_a_draft_through_the_form(app, client, login_as, world, geo):
    login_as(client, world["official"])
    response = client.post("/contracts/new", data=_form(geo, world["org"]))
    assert response.status_code == 302
    with app.app_context():
        contract = db.session.scalar(select(Contract))
        assert contract.state == ContractState.DRAFT
        assert {t.kpi.value: t.target for t in contract.targets} == {
            "verified_hours": 500, "households_served": 50}
        assert contract.buyer_street_id is None and contract.target_flags == ["empty_nest"]
    assert _audit(app, "contract.create") == 1


@pytest.mark.parametrize("changes, field", [
    ({"budget": "-5"}, "budget"),
    ({"ends_on": "2025-01-01"}, "ends_on"),
    ({"title": "\u202e\u200b"}, "title"),
    ({"target_satisfaction_rate": "150"}, "target_satisfaction_rate"),
])
def test_bad_input_names_the_field_in_chinese_and_saves_nothing(app, client, login_as, world,
                                                                 geo, changes, field):
    login_as(client, world["official"])
    response = client.post("/contracts/new", data=_form(geo, world["org"], **changes),
                           headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    error = re.search(rf'id="{field}-error"[^>]*>(.*?)</', page, re.S)
    assert error and re.search(r"[\u4e00-\u9fff]", error.group(1)), error
    with app.app_context():
        assert db.session.scalar(select(func.count(Contract.id))) == 0


def test_an_unapproved_or_foreign_contractor_is_refused(app, client, login_as, world, geo,
                                                        make_org):
    other = make_org(name="外区组织", status="approved", district="other_district")
    login_as(client, world["official"])
    response = client.post("/contracts/new", data=_form(geo, other))
    assert response.status_code == 200 and 'id="organization_id-error"' in response.get_data(
        as_text=True)


def test_sign_needs_targets_and_a_milestone_then_lists_the_contract(app, client, login_as,
                                                                   world, geo, make_contract):
    contract_id = make_contract()
    login_as(client, world["official"])
    client.post(f"/contracts/{contract_id}/sign")
    client.post(f"/contracts/{contract_id}/sign")  # a double submit signs once
    assert _audit(app, "contract.sign") == 1
    page = client.get("/purchased-services").get_data(as_text=True)
    assert "空巢老人关爱服务" in page and "乐龄社会工作服务社" in page
    with app.test_request_context():
        official = db.session.get(User, world["official"])
        bare = contracts.create_contract(official, contracts.ContractData(
            title="无节点", buyer=f"district:{geo['district']}", organization_id=world["org"],
            domain="culture", budget="1000", starts_on=date(2026, 1, 1),
            ends_on=date(2026, 2, 1)))
        with pytest.raises(DomainError) as error:
            contracts.sign(official, bare)
        assert {field for field, _ in error.value.errors} == {"targets", "milestones"}


def test_a_draft_is_not_public(client, make_contract):
    make_contract()
    assert "空巢老人关爱服务" not in client.get("/purchased-services").get_data(as_text=True)


def test_an_edit_after_signing_is_a_version_with_who_and_why(app, client, login_as, world, geo,
                                                             make_contract):
    contract_id = make_contract("signed")
    login_as(client, world["official"])
    form = _form(geo, world["org"], title="空巢老人关爱服务", budget="250000")
    response = client.post(f"/contracts/{contract_id}/edit", data=form)
    assert response.status_code == 200 and 'id="reason-error"' in response.get_data(as_text=True)
    form["reason"] = "追加预算"
    assert client.post(f"/contracts/{contract_id}/edit", data=form).status_code == 302
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        [version] = contract.versions
        assert version.reason == "追加预算" and version.changed_by_id == world["official"]
        assert version.changes["budget"] == ["200000.00", "250000.00"]
        assert contract.version == 2
    assert _audit(app, "contract.change") == 2  # the milestone of the factory and this edit


def test_evaluation_payment_and_closing(app, client, login_as, world, make_contract):
    contract_id = make_contract("in_progress")
    official, admin = app.test_client(), app.test_client()
    login_as(official, world["official"])
    login_as(admin, world["org_admin"])
    # The org admin sees the self-assessment form on their own contract.
    assert "自评" in admin.get(f"/contracts/{contract_id}",
                             headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    admin.post(f"/contracts/{contract_id}/evaluations", data={"comment": "按计划完成"})
    official.post(f"/contracts/{contract_id}/evaluations", data={"comment": "良好"})  # no score
    with app.app_context():
        assert db.session.get(Contract, contract_id).state == ContractState.IN_PROGRESS
    official.post(f"/contracts/{contract_id}/evaluations", data={"comment": "良好", "score": "88"})
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        assert contract.state == ContractState.EVALUATED
        milestone_id = contract.milestones[0].id
        assert contract.milestones[0].state == MilestoneState.EVALUATED
    assert _audit(app, "contract.evaluate.self") == 1
    assert _audit(app, "contract.evaluate.official") == 1
    url = f"/contracts/{contract_id}/milestones/{milestone_id}/payment"
    official.post(url, data={"decision": "withheld"})  # a reason is needed
    official.post(url, data={"decision": "part_paid", "amount": "200000", "reason": "部分"})
    with app.app_context():
        assert db.session.get(Contract, contract_id).milestones[0].state == "evaluated"
    official.post(url, data={"decision": "part_paid", "amount": "60000", "reason": "回访不足"})
    official.post(url, data={"decision": "paid"})  # already decided: refused
    with app.app_context():
        milestone = db.session.get(Contract, contract_id).milestones[0]
        assert milestone.state == MilestoneState.PART_PAID
        assert float(milestone.paid_amount) == 60000 and milestone.decision_reason == "回访不足"
    assert _audit(app, "contract.payment.part_paid") == 1
    official.post(f"/contracts/{contract_id}/close")
    with app.app_context():
        assert db.session.get(Contract, contract_id).state == ContractState.CLOSED
    assert _audit(app, "contract.close") == 1


def test_a_third_party_evaluator_is_granted_one_contract(app, client, login_as, world,
                                                         make_user, make_contract):
    evaluator = make_user(phone="13700000009")
    contract_id = make_contract("in_progress")
    other_id = make_contract("in_progress")
    login_as(client, evaluator)
    assert client.get(f"/contracts/{contract_id}").status_code == 404
    official = app.test_client()
    login_as(official, world["official"])
    official.post(f"/contracts/{contract_id}/evaluators", data={"phone": "13700000009"})
    assert client.get(f"/contracts/{contract_id}").status_code == 200
    assert client.get(f"/contracts/{other_id}").status_code == 404
    client.post(f"/contracts/{contract_id}/evaluations", data={"comment": "第三方", "score": "75"})
    assert _audit(app, "contract.evaluate.third_party") == 1
    assert _audit(app, "contract.evaluator_grant") == 1


def test_termination_needs_a_reason(app, client, login_as, world, make_contract):
    contract_id = make_contract("in_progress")
    login_as(client, world["official"])
    client.post(f"/contracts/{contract_id}/terminate", data={"reason": " "})
    client.post(f"/contracts/{contract_id}/terminate", data={"reason": "服务方停止运营"})
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        assert contract.state == ContractState.TERMINATED
        assert contract.terminate_reason == "服务方停止运营"
    assert _audit(app, "contract.terminate") == 1


def test_each_remaining_step_is_audited_once_and_a_repeat_adds_nothing(
        app, client, login_as, world, make_contract, records):
    contract_id = make_contract("signed")
    login_as(client, world["official"])
    assert _audit(app, "contract.sign") == 1
    client.post(f"/contracts/{contract_id}/sign")  # a double submit of the step
    assert _audit(app, "contract.sign") == 1
    changes_before = _audit(app, "contract.change")
    client.post(f"/contracts/{contract_id}/milestones", data={
        "title": "结项评估", "due_on": "2026-12-20", "tranche_amount": "50000",
        "required_share": "100", "reason": "补充结项节点"})
    assert _audit(app, "contract.change") == changes_before + 1
    project_id, _shift = records.project(None)
    client.post(f"/contracts/{contract_id}/projects", data={"project_id": str(project_id)})
    client.post(f"/contracts/{contract_id}/projects", data={"project_id": str(project_id)})
    assert _audit(app, "contract.link") == 1
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        # Linking refreshed the figure the dashboard's budget chart reads.
        assert contract.kpi_progress_at is not None
    client.post(f"/contracts/{contract_id}/start")
    client.post(f"/contracts/{contract_id}/start")
    assert _audit(app, "contract.start") == 1
