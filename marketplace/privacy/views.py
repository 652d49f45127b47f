from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template
from flask_login import current_user

from marketplace.auth.access import public, requires
from marketplace.auth.models import Role
from marketplace.extensions import db, limiter
from marketplace.privacy import services
from marketplace.privacy.forms import RevealForm

bp = Blueprint("privacy", __name__)

# A revealed value is shown once: never cached, never offered again without a new request.
NO_STORE = {"Cache-Control": "no-store, max-age=0", "Pragma": "no-cache"}


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
    except services.RevealError as exc:
        form[exc.field].errors.append(exc.message)
        body = render_template("privacy/reveal_refused.html", form=form)
        return body, 400, NO_STORE
    if revealed is None:
        abort(404)
    db.session.commit()
    profile, value = revealed
    body = render_template(
        "privacy/revealed.html", profile=profile, kind=form.kind.data, value=value
    )
    return body, 200, NO_STORE
