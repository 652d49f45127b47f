"""Social organizations (社会组织) and their life cycle."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text, case, event
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.auth.models import enum_column
from marketplace.auth.scopes import Places
from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.orgs.pinyin import name_initials, name_pinyin


class LegalForm(enum.StrEnum):
    SOCIAL_GROUP = "social_group"  # 社会团体
    SOCIAL_SERVICE_AGENCY = "social_service_agency"  # 民办非企业单位 / 社会服务机构
    FOUNDATION = "foundation"  # 基金会
    COMMUNITY_ORG = "community_org"  # 社区社会组织 (备案 with the street)
    RESIDENTS_COMMITTEE = "residents_committee"  # 居委会, owner of community teams


class OrgStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"
    SUSPENDED = "suspended"
    DEREGISTERED = "deregistered"


class OrgCategory(enum.StrEnum):
    RIGHTS = "rights"  # 权益类
    SERVICE = "service"  # 服务类
    CULTURE_SPORTS = "culture_sports"  # 文体类
    CHARITY = "charity"  # 公益慈善类
    OTHER = "other"


class ServiceDomain(enum.StrEnum):
    ELDER_CARE = "elder_care"
    PUBLIC_SECURITY = "public_security"
    CULTURE = "culture"
    SCIENCE_POPULARIZATION = "science_popularization"
    EDUCATION = "education"
    RELEASED_PRISONER_SUPPORT = "released_prisoner_support"
    DISABILITY_SUPPORT = "disability_support"
    CHILD_YOUTH = "child_youth"
    OTHER = "other"


organization_communities = Table(
    "organization_communities",
    db.metadata,
    Column("organization_id", ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True),
    Column("community_id", ForeignKey("communities.id"), primary_key=True, index=True),
)


class Organization(db.Model):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    # Lower-case pinyin of the name, whole syllables and initials, kept for search and sorting.
    name_pinyin: Mapped[str] = mapped_column(String(600), default="", index=True)
    name_initials: Mapped[str] = mapped_column(String(100), default="")
    legal_form: Mapped[LegalForm] = mapped_column(enum_column(LegalForm))
    category: Mapped[OrgCategory] = mapped_column(
        enum_column(OrgCategory), default=OrgCategory.OTHER
    )
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    status: Mapped[OrgStatus] = mapped_column(
        enum_column(OrgStatus), default=OrgStatus.DRAFT, index=True
    )
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    street_id: Mapped[int | None] = mapped_column(ForeignKey("streets.id"), index=True)
    contact_name: Mapped[str] = mapped_column(String(50), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    profile: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    district = relationship("District")
    street = relationship("Street")
    communities = relationship(
        "Community", secondary=organization_communities, order_by="Community.id"
    )
    domain_rows: Mapped[list[OrgDomain]] = relationship(
        cascade="all, delete-orphan", order_by="OrgDomain.domain"
    )
    transitions: Mapped[list[OrgTransition]] = relationship(
        back_populates="organization", order_by="OrgTransition.id"
    )

    @property
    def domains(self) -> list[ServiceDomain]:
        return [row.domain for row in self.domain_rows]

    @domains.setter
    def domains(self, values) -> None:
        wanted = [ServiceDomain(v) for v in dict.fromkeys(values)]
        kept = [row for row in self.domain_rows if row.domain in wanted]
        have = {row.domain for row in kept}
        self.domain_rows = kept + [OrgDomain(domain=d) for d in wanted if d not in have]

    @property
    def is_filed_with_street(self) -> bool:
        """社区社会组织 are filed (备案) with the street; the rest register with the district."""
        return self.legal_form == LegalForm.COMMUNITY_ORG

    @property
    def is_listed(self) -> bool:
        return self.status == OrgStatus.APPROVED

    @hybrid_property
    def filed_street_id(self) -> int | None:
        """The street the organization is filed with (community organizations only); the
        others register with the district, whatever street their address is in."""
        return self.street_id if self.legal_form == LegalForm.COMMUNITY_ORG else None

    @filed_street_id.inplace.expression
    @classmethod
    def _filed_street_id_expression(cls):
        return case((cls.legal_form == LegalForm.COMMUNITY_ORG, cls.street_id), else_=None)

    @property
    def places(self) -> Places:
        """Where the organization sits, as audit records and officials' scopes read it."""
        return Places(self.id, self.filed_street_id, self.district_id)

    def __repr__(self) -> str:
        return f"<Organization {self.id} {self.status}>"


@event.listens_for(Organization, "before_insert")
@event.listens_for(Organization, "before_update")
def _store_pinyin(_mapper, _connection, org: Organization) -> None:
    org.name_pinyin = name_pinyin(org.name)
    org.name_initials = name_initials(org.name)


class OrgDomain(db.Model):
    """One service domain (服务领域) of an organization; a row each, so filters stay plain SQL."""

    __tablename__ = "organization_domains"

    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    domain: Mapped[ServiceDomain] = mapped_column(enum_column(ServiceDomain), primary_key=True)


class OrgTransition(db.Model):
    """One step of an organization's life cycle: who moved it, in which role, when and why."""

    __tablename__ = "org_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[OrgStatus] = mapped_column(enum_column(OrgStatus))
    to_status: Mapped[OrgStatus] = mapped_column(enum_column(OrgStatus))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organization: Mapped[Organization] = relationship(back_populates="transitions")
    actor = relationship("User")
