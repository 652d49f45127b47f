"""The public directory: approved organizations found by name, pinyin and filters."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from marketplace.orgs.models import (
    LegalForm,
    Organization,
    OrgDomain,
    OrgStatus,
    ServiceDomain,
    organization_communities,
)
from marketplace.orgs.pinyin import search_key


@dataclass
class DirectoryFilters:
    q: str = ""
    legal_form: str = ""
    category: str = ""
    community_id: int | None = None
    domain: str = ""


def directory_query(filters: DirectoryFilters):
    """Approved organizations matching ``filters``, sorted by pinyin; a fixed number of queries
    loads a page however many rows it holds (communities and domains come in one go each)."""
    stmt = (
        select(Organization)
        .where(
            Organization.status == OrgStatus.APPROVED,
            Organization.legal_form != LegalForm.RESIDENTS_COMMITTEE,
        )
        .options(selectinload(Organization.communities), selectinload(Organization.domain_rows))
        .order_by(Organization.name_pinyin, Organization.id)
    )
    query = filters.q.strip()
    if query:
        conditions = [Organization.name.contains(query, autoescape=True)]
        key = search_key(query)
        if key:
            conditions += [
                Organization.name_pinyin.contains(key, autoescape=True),
                Organization.name_initials.contains(key, autoescape=True),
            ]
        stmt = stmt.where(or_(*conditions))
    if filters.legal_form:
        stmt = stmt.where(Organization.legal_form == filters.legal_form)
    if filters.category:
        stmt = stmt.where(Organization.category == filters.category)
    if filters.community_id:
        stmt = stmt.where(
            Organization.id.in_(
                select(organization_communities.c.organization_id).where(
                    organization_communities.c.community_id == filters.community_id
                )
            )
        )
    if filters.domain:
        stmt = stmt.where(
            Organization.id.in_(
                select(OrgDomain.organization_id).where(
                    OrgDomain.domain == ServiceDomain(filters.domain)
                )
            )
        )
    return stmt
