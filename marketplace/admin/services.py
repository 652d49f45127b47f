"""Account look-up for the platform admin."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from marketplace.auth.models import User
from marketplace.auth.phones import normalise_phone
from marketplace.extensions import db


def accounts_query(q: str):
    """Accounts, newest first; ``q`` matches part of the display name or, when it is a phone
    in any spelling (+86, full-width digits, spaces), the exact number. Grants and their
    places load in one further query (``User.grants`` is selectin, scopes joined)."""
    query = select(User)
    if q:
        clause = User.display_name.contains(q, autoescape=True)
        phone = normalise_phone(q)
        if phone:
            clause = or_(clause, User.phone == phone)
        query = query.where(clause)
    return query.order_by(User.created_at.desc(), User.id.desc())


def account_count() -> int:
    return db.session.scalar(select(func.count(User.id))) or 0
