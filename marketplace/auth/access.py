"""Access control: one decorator, ``requires``, guards every non-public view.

``public`` marks the few views anyone may open. A test walks ``app.url_map`` and fails on
any endpoint that is neither public nor guarded.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from marketplace.auth.models import Role
from marketplace.extensions import login_manager

# Endpoints that belong to Flask or extensions rather than to a view of ours.
FRAMEWORK_PUBLIC_ENDPOINTS = frozenset({"static"})


def public(view: Callable) -> Callable:
    view.access_rule = "public"
    return view


def requires(*roles: Role, anonymous: Callable | None = None) -> Callable[[Callable], Callable]:
    """Require a logged-in user holding any of ``roles`` (any logged-in user when none given).

    Anonymous users go to the login page (or get what ``anonymous()`` answers: the API's
    401); logged-in users without the role get 404, so that nothing out of scope is even
    confirmed to exist.
    """

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return (anonymous or login_manager.unauthorized)()
            if roles and not current_user.has_role(*roles):
                abort(404)
            return view(*args, **kwargs)

        guarded.access_rule = ("roles", frozenset(roles)) if roles else "login"
        return guarded

    return decorate


def access_rule_of(view: Callable) -> object | None:
    return getattr(view, "access_rule", None)
