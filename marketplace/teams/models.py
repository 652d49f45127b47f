"""Volunteer teams (志愿服务队) of organizations and their memberships (domain §4)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.auth.models import enum_column
from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.orgs.models import LegalForm, Organization


class TeamKind(enum.StrEnum):
    MEDICAL = "medical"
    PSYCH_COUNSELING = "psych_counseling"
    PAPER_CUTTING = "paper_cutting"
    CALLIGRAPHY_PAINTING = "calligraphy_painting"
    SCIENCE = "science"
    YOUTH = "youth"
    OFFENDER_SUPPORT = "offender_support"
    FREE_CLINIC = "free_clinic"
    TUTORING = "tutoring"
    LEGAL_AID = "legal_aid"
    PATROL = "patrol"
    POVERTY_RELIEF = "poverty_relief"
    GREENING = "greening"
    CHOIR = "choir"
    OPERA = "opera"
    DANCE = "dance"
    MARTIAL_ARTS = "martial_arts"
    ELDER_CARE = "elder_care"
    ENVIRONMENT = "environment"
    MEDIATION = "mediation"
    POLICY_OUTREACH = "policy_outreach"
    DAILY_SERVICES = "daily_services"
    REPAIR = "repair"
    PARTY_MEMBER = "party_member"
    DISABILITY_SUPPORT = "disability_support"
    CHARITY = "charity"
    NEIGHBOUR_AID = "neighbour_aid"


class MembershipState(enum.StrEnum):
    APPLIED = "applied"
    INVITED = "invited"
    ACTIVE = "active"
    REJECTED = "rejected"
    DECLINED = "declined"
    LEFT = "left"
    REMOVED = "removed"


LIVE_MEMBERSHIP_STATES = (MembershipState.APPLIED, MembershipState.INVITED, MembershipState.ACTIVE)
# Memberships that open a volunteer's profile to the organization's staff. An invitation is
# not one until the volunteer accepts it: anyone can type a volunteer number.
STAFF_VISIBLE_STATES = (MembershipState.APPLIED, MembershipState.ACTIVE)
_LIVE_SQL = "state IN ({})".format(", ".join(f"'{s.value}'" for s in LIVE_MEMBERSHIP_STATES))

class VolunteerTeam(db.Model):
    """A volunteer team. Community teams belong to the community's residents' committee, an
    ``Organization`` of legal form ``residents_committee`` (domain §8.5), so one owner column
    serves both kinds and the committee's admin is an ordinary ``org_admin``."""

    __tablename__ = "volunteer_teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    kind: Mapped[TeamKind] = mapped_column(enum_column(TeamKind), index=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organization: Mapped[Organization] = relationship()
    memberships: Mapped[list[TeamMembership]] = relationship(
        back_populates="team", order_by="TeamMembership.id"
    )

    @property
    def is_community_team(self) -> bool:
        return self.organization.legal_form == LegalForm.RESIDENTS_COMMITTEE

    def __repr__(self) -> str:
        return f"<VolunteerTeam {self.id}>"


class TeamMembership(db.Model):
    __tablename__ = "team_memberships"
    __table_args__ = (
        # One live membership (applied, invited or active) per team and volunteer; the
        # history of earlier ones stays.
        Index(
            "uq_team_memberships_live",
            "team_id",
            "volunteer_id",
            unique=True,
            sqlite_where=text(_LIVE_SQL),
            postgresql_where=text(_LIVE_SQL),
        ),
        CheckConstraint(
            "is_leader = false OR state = 'active'", name="leader_is_active"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(
        ForeignKey("volunteer_teams.id", ondelete="CASCADE"), index=True
    )
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteer_profiles.id"), index=True)
    state: Mapped[MembershipState] = mapped_column(enum_column(MembershipState))
    is_leader: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    team: Mapped[VolunteerTeam] = relationship(back_populates="memberships")
    volunteer = relationship("VolunteerProfile")

    @property
    def is_live(self) -> bool:
        return self.state in LIVE_MEMBERSHIP_STATES

    def __repr__(self) -> str:
        return f"<TeamMembership {self.id} {self.state}>"
