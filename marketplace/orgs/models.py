"""Social organizations (社会组织). The registry work extends this model."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.auth.models import enum_column
from marketplace.clock import utcnow
from marketplace.extensions import db


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


class Organization(db.Model):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    legal_form: Mapped[LegalForm] = mapped_column(enum_column(LegalForm))
    status: Mapped[OrgStatus] = mapped_column(enum_column(OrgStatus), default=OrgStatus.DRAFT)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    street_id: Mapped[int | None] = mapped_column(ForeignKey("streets.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    district = relationship("District")
    street = relationship("Street")
