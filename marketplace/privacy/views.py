from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template
from flask_login import current_user

from marketplace.auth.access import public, requires
from marketplace.auth.models import Role
from marketplace.errors import DomainError, show_error
from marketplace.extensions import db, limiter
from marketplace.privacy import registry, services
from marketplace.privacy.caching import NO_STORE
from marketplace.privacy.forms import RevealForm

bp = Blueprint("privacy", __name__)



@bp.get("/privacy")
@public
def notice():
    return render_template("privacy/notice.html", version=services.PRIVACY_NOTICE_VERSION)


def _reveal_key() -> str:
    return f"reveal:{current_user.id}"


def _too_many_reveals(_limit):
    response = current_app.make_response(render_template("privacy/too_many_reveals.html"))
    response.status_code = 429
    response.headers["Retry-After"] = "3600"
    return response


@bp.post("/privacy/reveal")
@requires(Role.SOCIAL_WORKER, Role.ORG_ADMIN)
# Service needs a value now and then; many in an hour looks like copying a roster out.
@limiter.limit(
    f"{services.REVEALS_PER_HOUR} per hour", key_func=_reveal_key, on_breach=_too_many_reveals
)
def reveal():
    form = RevealForm()
    if not form.validate_on_submit():
        if not form.purpose.errors:
            abort(400)
        return render_template("privacy/reveal_refused.html", form=form), 400, NO_STORE
    try:
        revealed = services.reveal(
            current_user, form.kind.data, form.object.data, form.purpose.data
        )
    except DomainError as error:
        show_error(error, form)
        body = render_template(
            "privacy/reveal_refused.html", form=form,
            back_url=services.back_url(current_user, form.kind.data, form.object.data),
        )
        return body, 400, NO_STORE
    if revealed is None:
        abort(404)
    db.session.commit()
    access, value = revealed
    body = render_template(
        "privacy/revealed.html", access=access, label=registry.kinds()[form.kind.data].label,
        value=value,
    )
    return body, 200, NO_STORE
