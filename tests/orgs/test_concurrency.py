"""Two people acting at the same moment: the state moves once, the other is told."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from marketplace.auth.models import Role, User
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.orgs import services
from marketplace.orgs.models import Organization, OrgStatus, OrgTransition
from marketplace.teams import services as team_services
from marketplace.teams.models import MembershipState, TeamKind, TeamMembership, VolunteerTeam


def _race(app, steps):
    """Run each step(session objects) in its own thread and app context, all released at
    once; returns "ok" or "refused" per step."""
    barrier = threading.Barrier(len(steps))
    results = [None] * len(steps)

    def run(index, step):
        # A request context, as in a view: refusals carry translated messages.
        with app.test_request_context():
            try:
                prepared = step["prepare"]()
                barrier.wait(timeout=10)
                step["act"](*prepared)
                db.session.commit()
                results[index] = "ok"
            except DomainError:
                db.session.rollback()
                results[index] = "refused"
            except Exception as exc:  # reported in the assertion instead of lost in a thread
                db.session.rollback()
                results[index] = repr(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, s)) for i, s in enumerate(steps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_officials_deciding_at_once_move_the_organization_once(app, people, make_org):
    org_id = make_org(name="百花社区秧歌队", legal_form="community_org", status="submitted")

    def decision(user_key, action, reason):
        return {
            "prepare": lambda: (db.session.get(User, people[user_key]),
                                db.session.get(Organization, org_id)),
            "act": lambda user, org: services.transition(user, org, action, reason),
        }

    results = _race(app, [decision("district_official", "approve", None),
                          decision("street_official", "return", "材料不全")])
    assert sorted(results) == ["ok", "refused"]
    with app.app_context():
        steps = db.session.scalar(select(func.count(OrgTransition.id)))
        status = db.session.get(Organization, org_id).status
    assert steps == 1
    assert status == (OrgStatus.APPROVED if results[0] == "ok" else OrgStatus.RETURNED)


def test_double_application_leaves_one_live_membership(app, people, make_org, make_user,
                                                       make_profile):
    volunteer = make_user(roles=[Role.VOLUNTEER])
    make_profile(volunteer)
    org_id = make_org(status="approved")
    with app.app_context():
        team = VolunteerTeam(organization_id=org_id, name="巡逻队", kind=TeamKind.PATROL)
        db.session.add(team)
        db.session.commit()
        team_id = team.id

    def application():
        return {
            "prepare": lambda: (db.session.get(User, volunteer),
                                db.session.get(VolunteerTeam, team_id)),
            "act": lambda user, team: team_services.apply(user, team),
        }

    results = _race(app, [application(), application()])
    assert sorted(results) == ["ok", "refused"]
    with app.app_context():
        states = db.session.scalars(select(TeamMembership.state)).all()
    assert states == [MembershipState.APPLIED]
