"""The API's frame: the flask-smorest ``Api``, who a request acts for (a bearer token, never
the site's session cookie), the access decorators, the per-token rate limit and bounded pages.

Cookies are ignored under ``/api/``: a request acts for the user whose token it presents, or
for nobody. So a page on another site cannot make a browser act on the API, and the API's
blueprints are exempt from the site's CSRF check; the HTML pages keep it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib import import_module

import marshmallow as ma
from flask import Flask, current_app, g, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user
from flask_smorest import Api, Blueprint
from werkzeug.exceptions import Unauthorized

from marketplace.api import tokens
from marketplace.auth.access import requires
from marketplace.auth.models import Role
from marketplace.bounds import paginate
from marketplace.errors import DomainError, api_domain_error
from marketplace.extensions import csrf, db, limiter, login_manager

API_PREFIX = "/api/v1"
BEARER_SCHEME = "bearerAuth"


class ErrorSchema(ma.Schema):
    """Every error the API answers: the HTTP status, a message in the user's language and,
    for refused input, the messages for each field."""

    code = ma.fields.Integer(required=True, metadata={"description": "HTTP status"})
    message = ma.fields.String(required=True)
    errors = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.List(ma.fields.String()), required=True,
        metadata={"description": "Messages by field; `_request` for the whole request"},
    )


class GongzhiApi(Api):
    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        # errors.py answers every error, as JSON under /api/ and as the site's pages elsewhere.
        pass


class TokenRequired(Unauthorized):
    """401 with the challenge RFC 6750 asks for; ``invalid`` when a token was sent but is
    unknown, expired or revoked."""

    def __init__(self, invalid: bool = False):
        super().__init__(_("A valid access token is needed: send it as "
                           "'Authorization: Bearer <token>'.") if not invalid else
                         _("The access token is unknown, expired or revoked."))
        self.invalid = invalid

    def get_headers(self, environ=None, scope=None):
        challenge = 'Bearer realm="api"'
        if self.invalid:
            challenge += ', error="invalid_token"'
        return [*super().get_headers(environ, scope), ("WWW-Authenticate", challenge)]


def _presented_token() -> str | None:
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _sep, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def request_token():
    """The live token of this request (cached), None without one; raises TokenRequired for
    a token that is not live or a header that is no bearer token."""
    if "api_token" not in g:
        presented = _presented_token()
        g.api_token = tokens.authenticate(presented) if presented else None
        g.api_token_refused = presented is not None and g.api_token is None
    if g.api_token_refused:
        raise TokenRequired(invalid=True)
    return g.api_token


def _act_for_token() -> None:
    """Before each API request: the token's user becomes the current user (or nobody)."""
    if not request.path.startswith(API_PREFIX + "/"):
        return
    token = request_token()
    login_manager._update_request_context_with_user(token.user if token else None)
    if token is not None and db.session.dirty:  # last_used_at moved on: a commit of its own
        db.session.commit()


def rate_limit_key() -> str:
    try:
        token = request_token()
    except TokenRequired:
        token = None
    return f"token:{token.id}" if token else f"address:{get_remote_address()}"


def _rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def api_public(view: Callable) -> Callable:
    view.access_rule = "public"
    return view


def _token_required():
    raise TokenRequired()


def api_requires(*roles: Role) -> Callable[[Callable], Callable]:
    """A token of a user holding any of ``roles`` (any user when none given): no token is 401,
    a user without the role gets 404, as on the site."""
    return requires(*roles, anonymous=_token_required)


def found_first(lookup: Callable[..., object]) -> Callable[[Callable], Callable]:
    """Ask ``lookup(user, **url_ids)`` (a service's scoped getter, raising ``OutOfScope``)
    before the body is read: placed between ``api_requires`` and ``blp.arguments``, another
    organization's object is a 404 whatever the body holds, never a 422 telling it exists."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            lookup(current_user, **kwargs)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def page_schema(item_schema: type[ma.Schema]) -> type[ma.Schema]:
    """The envelope of one page of ``item_schema`` items."""
    return type(f"{item_schema.__name__.removesuffix('Schema')}PageSchema", (ma.Schema,), {
        "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
        "page": ma.fields.Integer(required=True),
        "pages": ma.fields.Integer(required=True),
        "per_page": ma.fields.Integer(required=True),
        "total": ma.fields.Integer(required=True),
    })


def one_page(statement, per_page: int) -> dict:
    """A page of ``statement`` in the envelope; ``page=`` is read and clamped by bounds."""
    page = paginate(statement, per_page=per_page)
    return {"items": list(page.items), "page": page.page, "pages": page.pages,
            "per_page": per_page, "total": page.total or 0}


def api_blueprint(name: str, url_prefix: str, description: str) -> Blueprint:
    """A resource's blueprint: out of the CSRF check (cookies are ignored here), its domain
    errors answered as JSON field errors, rate-limited per token."""
    blp = Blueprint(name, __name__, url_prefix=url_prefix, description=description)
    csrf.exempt(blp)
    blp.register_error_handler(DomainError, api_domain_error)
    limiter.limit(_rate_limit, key_func=rate_limit_key)(blp)
    return blp


def api_of(app: Flask) -> GongzhiApi:
    return app.extensions["gongzhi-api"]


def init_api(app: Flask, resource_modules: list[str]) -> None:
    """Bind a new API to ``app`` with its resources (modules exposing an ``api_blueprint``
    named ``blp``)."""
    app.config.setdefault("API_TITLE", "Gongzhi API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config["OPENAPI_URL_PREFIX"] = None  # the document and its page are our own views
    api = GongzhiApi(app, spec_kwargs={"servers": [{"url": "/"}]})
    api.spec.components.security_scheme(BEARER_SCHEME, {"type": "http", "scheme": "bearer"})
    api.spec.options["security"] = [{BEARER_SCHEME: []}, {}]
    app.extensions["gongzhi-api"] = api
    app.before_request(_act_for_token)
    for module in resource_modules:
        blp = import_module(module).blp
        api.register_blueprint(blp, url_prefix=API_PREFIX + blp.url_prefix)
