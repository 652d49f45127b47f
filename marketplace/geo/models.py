"""District (区) → street (街道) → community (社区) → grid (网格), each with a WGS-84 centre."""

from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.auth.models import enum_column
from marketplace.extensions import db


class StreetKind(enum.StrEnum):
    STREET = "street"
    TOWNSHIP = "township"


class CommunityKind(enum.StrEnum):
    URBAN = "urban"
    VILLAGE = "village"


class District(db.Model):
    __tablename__ = "districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    region_code: Mapped[str] = mapped_column(String(6))  # GB/T 2260, e.g. 650203
    lat: Mapped[float]
    lon: Mapped[float]

    streets: Mapped[list[Street]] = relationship(back_populates="district", order_by="Street.id")


class Street(db.Model):
    __tablename__ = "streets"
    __table_args__ = (UniqueConstraint("district_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    kind: Mapped[StreetKind] = mapped_column(enum_column(StreetKind), default=StreetKind.STREET)
    lat: Mapped[float]
    lon: Mapped[float]

    district: Mapped[District] = relationship(back_populates="streets")
    communities: Mapped[list[Community]] = relationship(
        back_populates="street", order_by="Community.id"
    )


class Community(db.Model):
    __tablename__ = "communities"
    __table_args__ = (UniqueConstraint("street_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    street_id: Mapped[int] = mapped_column(ForeignKey("streets.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    kind: Mapped[CommunityKind] = mapped_column(
        enum_column(CommunityKind), default=CommunityKind.URBAN
    )
    lat: Mapped[float]
    lon: Mapped[float]
    # Reference figures for rate denominators (domain §8.15).
    residents: Mapped[int | None]
    residents_over_60: Mapped[int | None]
    households: Mapped[int | None]

    street: Mapped[Street] = relationship(back_populates="communities", lazy="joined")
    grids: Mapped[list[Grid]] = relationship(back_populates="community", order_by="Grid.id")

    @property
    def district_id(self) -> int:
        return self.street.district_id


class Grid(db.Model):
    __tablename__ = "grids"
    __table_args__ = (UniqueConstraint("community_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    household_count: Mapped[int]
    lat: Mapped[float]
    lon: Mapped[float]

    community: Mapped[Community] = relationship(back_populates="grids", lazy="joined")
