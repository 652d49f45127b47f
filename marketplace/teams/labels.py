"""Display labels of team codes; the Chinese ones live in this package's catalog."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.teams.models import MembershipState, TeamKind

TEAM_KIND = {
    TeamKind.MEDICAL: _l("Medical and health"),
    TeamKind.PSYCH_COUNSELING: _l("Psychological guidance"),
    TeamKind.PAPER_CUTTING: _l("Paper-cutting and weaving"),
    TeamKind.CALLIGRAPHY_PAINTING: _l("Calligraphy and painting"),
    TeamKind.SCIENCE: _l("Science outreach"),
    TeamKind.YOUTH: _l("Youth education"),
    TeamKind.OFFENDER_SUPPORT: _l("Offender support"),
    TeamKind.FREE_CLINIC: _l("Free clinic"),
    TeamKind.TUTORING: _l("Free tutoring"),
    TeamKind.LEGAL_AID: _l("Legal aid"),
    TeamKind.PATROL: _l("Security patrol"),
    TeamKind.POVERTY_RELIEF: _l("Poverty relief"),
    TeamKind.GREENING: _l("Greening upkeep"),
    TeamKind.CHOIR: _l("Choir"),
    TeamKind.OPERA: _l("Opera"),
    TeamKind.DANCE: _l("Dance"),
    TeamKind.MARTIAL_ARTS: _l("Martial arts"),
    TeamKind.ELDER_CARE: _l("Elder services"),
    TeamKind.ENVIRONMENT: _l("Environmental protection"),
    TeamKind.MEDIATION: _l("Mediation"),
    TeamKind.POLICY_OUTREACH: _l("Policy outreach"),
    TeamKind.DAILY_SERVICES: _l("Haircuts and tailoring"),
    TeamKind.REPAIR: _l("Plumbing and electrical repair"),
    TeamKind.PARTY_MEMBER: _l("Party member service"),
    TeamKind.DISABILITY_SUPPORT: _l("Disability assistance"),
    TeamKind.CHARITY: _l("Charity supermarket"),
    TeamKind.NEIGHBOUR_AID: _l("Neighbourly help"),
}

MEMBERSHIP_STATE = {
    MembershipState.APPLIED: _l("Applied"),
    MembershipState.INVITED: _l("Invited"),
    MembershipState.ACTIVE: _l("Member"),
    MembershipState.REJECTED: _l("Application rejected"),
    MembershipState.DECLINED: _l("Invitation declined"),
    MembershipState.LEFT: _l("Left"),
    MembershipState.REMOVED: _l("Removed"),
}
