"""API fixtures: the projects world (organizations, staff, volunteers with profiles, projects
and shifts) and clients that present a personal access token."""

from __future__ import annotations

import pytest
from projects.conftest import (  # noqa: F401  (fixtures shared with the projects tests)
    make_project,
    make_shift,
    make_volunteer,
    seat_counts,
    world,
)

from marketplace.extensions import db


@pytest.fixture
def make_token(app):
    """``make_token(user_id, days=30)``: a new token's plaintext for that user."""
    from marketplace.api import tokens
    from marketplace.auth.models import User

    def factory(user_id: int, days: int = 30, name: str = "脚本") -> str:
        with app.app_context():
            created = tokens.create_token(db.session.get(User, user_id), name, days)
            db.session.commit()
            return created.plaintext

    return factory


@pytest.fixture
def api_client(app, make_token):
    """``api_client(user_id)``: a test client sending a fresh token of that user (no cookie
    session), asking for Chinese; ``api_client(None)`` sends none."""

    def factory(user_id: int | None, language: str = "zh-CN"):
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
        if user_id is not None:
            client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {make_token(user_id)}"
        return client

    return factory
