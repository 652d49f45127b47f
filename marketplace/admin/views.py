"""Platform admin pages."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from marketplace.admin import services
from marketplace.admin.forms import AccountSearchForm
from marketplace.audit import labels
from marketplace.auth import scopes
from marketplace.auth.access import requires
from marketplace.auth.models import Role
from marketplace.auth.phones import normalise_phone
from marketplace.bounds import paginate
from marketplace.home.actions import HomeAction
from marketplace.privacy.masking import mask_phone

bp = Blueprint("admin", __name__, url_prefix="/admin")
PER_PAGE = 25


@bp.route("/accounts", methods=["GET", "POST"])
@requires(Role.PLATFORM_ADMIN)
def accounts():
    form = AccountSearchForm()
    q = request.args.get("q", "").strip()[:50]
    if form.validate_on_submit():
        q = (form.q.data or "").strip()
        if not normalise_phone(q):
            # A name search gets its own address, so its pages can be linked and paged.
            return redirect(url_for("admin.accounts", q=q or None))
    phone = normalise_phone(q)
    form.q.data = "" if phone else q  # a searched phone is shown masked, never echoed
    page = paginate(services.accounts_query(q), PER_PAGE)
    extra = {"current_path": url_for("admin.accounts")} if phone else {}
    return render_template(
        "admin/accounts.html",
        form=form,
        page=page,
        searched_phone=mask_phone(phone) if phone else "",
        mask_phone=mask_phone,
        role_label=labels.role_label,
        grant_places=scopes.grant_place_names,
        **extra,  # the language switch returns to the plain list, not to a URL with the phone
    )


def admin_home_actions(user) -> list[HomeAction]:
    if not user.has_role(Role.PLATFORM_ADMIN):
        return []
    return [
        HomeAction(
            title=_("Accounts"),
            description=_("Every account with its roles and where they apply; phones masked."),
            url=url_for("admin.accounts"),
            badge=services.account_count() or None,
            roles=(Role.PLATFORM_ADMIN,),
        )
    ]
