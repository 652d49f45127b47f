"""The home page of every demo role and the organization page run a fixed number of
statements, however much the user holds."""

from __future__ import annotations

import pytest

from marketplace.auth.models import Role
from marketplace.extensions import db

# Statements per page as measured: session, user and grants, then each contribution's few
# queries (the volunteer's home is the largest: profile, memberships, sign-ups, hours, care
# teams and offers; the organization page adds projects, hours, care and recruitment panels).
HOME_BOUND = 15
ORG_PAGE_BOUND = 14


@pytest.fixture
def grow(app, geo, make_org, make_profile, make_team, make_user):
    """``grow(role, user_id, n)``: give the user ``n`` more of what their home page counts."""
    from marketplace.audit.services import record
    from marketplace.auth.models import RoleGrant, User
    from marketplace.teams.models import MembershipState

    profiles: dict[int, int] = {}

    def add(role: Role, user_id: int, n: int) -> None:
        for _ in range(n):
            if role == Role.VOLUNTEER:
                if user_id not in profiles:
                    profiles[user_id] = make_profile(user_id)
                make_team(geo["district"], member=profiles[user_id],
                          state=MembershipState.INVITED)
            elif role in (Role.ORG_ADMIN, Role.SOCIAL_WORKER):
                org_id = make_org(status="approved")
                with app.app_context():
                    user = db.session.get(User, user_id)
                    user.grants.append(RoleGrant(role=role, organization_id=org_id))
                    db.session.commit()
            elif role == Role.OFFICIAL:
                make_org(legal_form="community_org", status="submitted")
            else:
                with app.app_context():
                    record(db.session.get(User, make_user()), "org.create", "organization", 1)
                    db.session.commit()

    return add


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.VOLUNTEER, None),
        (Role.SOCIAL_WORKER, "organization"),
        (Role.ORG_ADMIN, "organization"),
        (Role.OFFICIAL, "district_id"),
        (Role.OFFICIAL, "street_id"),
        (Role.PLATFORM_ADMIN, None),
    ],
)
def test_home_page_queries_do_not_grow(client, login_as, make_user, make_org, geo, grow,
                                       count_queries, role, scope):
    if scope == "organization":
        grant = (role, {"organization_id": make_org(status="approved")})
    elif scope:
        grant = (role, {scope: geo["district"] if scope == "district_id" else geo["street_a"]})
    else:
        grant = role
    user_id = make_user(roles=[grant])
    login_as(client, user_id)
    grow(role, user_id, 1)
    few = count_queries(client, "/")
    grow(role, user_id, 6)
    many = count_queries(client, "/")
    assert few == many <= HOME_BOUND


def test_organization_page_queries_do_not_grow(app, client, login_as, people, make_org,
                                               make_team, make_profile, make_user,
                                               count_queries):
    from marketplace.teams.models import MembershipState

    org_id = make_org(people["founder"], status="approved", communities=[0, 1],
                      domains=["elder_care"])
    login_as(client, people["founder"])

    def add_teams(n: int) -> None:
        """``n`` more teams, each with an active member."""
        for _ in range(n):
            profile = make_profile(make_user(roles=[Role.VOLUNTEER]))
            make_team(None, organization_id=org_id, member=profile,
                      state=MembershipState.ACTIVE)

    add_teams(1)
    few = count_queries(client, f"/orgs/{org_id}")
    add_teams(5)
    many = count_queries(client, f"/orgs/{org_id}")
    assert few == many <= ORG_PAGE_BOUND
