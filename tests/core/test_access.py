"""Every endpoint of every blueprint is either public on purpose or guarded."""

from __future__ import annotations

from flask import Blueprint, Flask

from marketplace.auth.access import (
    FRAMEWORK_PUBLIC_ENDPOINTS,
    access_rule_of,
    public,
    requires,
)
from marketplace.auth.models import Role


def unguarded_endpoints(app: Flask) -> list[str]:
    """Endpoints in ``app.url_map`` that are neither public nor behind ``requires``.

    Walking the URL map (not a list of blueprints) catches routes of blueprints added later,
    app-level routes, and a ``requires`` placed above the route decorator, where it guards
    nothing that Flask calls.
    """
    missing = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in FRAMEWORK_PUBLIC_ENDPOINTS:
            continue
        if access_rule_of(app.view_functions[rule.endpoint]) is None:
            missing.add(rule.endpoint)
    return sorted(missing)


def test_every_endpoint_is_public_or_guarded(app):
    assert len(list(app.url_map.iter_rules())) > 5
    assert unguarded_endpoints(app) == []


def test_the_walk_catches_a_forgotten_decorator_in_any_blueprint(app):
    extra = Blueprint("later_domain", __name__, url_prefix="/later")

    @extra.get("/open")
    def forgotten():
        return "anyone"

    @extra.get("/guarded")
    @requires(Role.OFFICIAL)
    def guarded():
        return "officials"

    @requires(Role.OFFICIAL)  # above the route: Flask registered the unguarded function
    @extra.get("/misplaced")
    def misplaced():
        return "everyone, by mistake"

    @extra.get("/public")
    @public
    def shown():
        return "anyone, on purpose"

    app.register_blueprint(extra)
    app.add_url_rule("/bare", "bare", lambda: "app-level")

    assert unguarded_endpoints(app) == ["bare", "later_domain.forgotten", "later_domain.misplaced"]


def test_guarded_views_send_anonymous_users_to_login_and_hide_from_other_roles(
    app, client, make_user, login_as
):
    extra = Blueprint("scoped", __name__)

    @extra.get("/officials-only")
    @requires(Role.OFFICIAL)
    def officials_only():
        return "secret"

    app.register_blueprint(extra)
    anonymous = client.get("/officials-only")
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/auth/login?next=")
    login_as(client, make_user(roles=[Role.VOLUNTEER]))
    assert client.get("/officials-only").status_code == 404
    official = app.test_client()
    login_as(official, make_user(roles=[(Role.OFFICIAL, {})]))
    assert official.get("/officials-only").get_data(as_text=True) == "secret"
