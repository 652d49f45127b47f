"""The audit trail page: everything for the platform admin, their scope for officials."""

from __future__ import annotations

import re

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.audit import labels, services
from marketplace.auth.access import requires
from marketplace.auth.models import Role
from marketplace.bounds import paginate
from marketplace.home.actions import HomeAction

bp = Blueprint("audit", __name__)
PER_PAGE = 25
_CODE = re.compile(r"^[a-z_.]{1,64}$")  # action and object codes are lower-case words and dots


def _code_arg(name: str) -> str:
    value = request.args.get(name, "").strip()
    return value if _CODE.fullmatch(value) else ""


@bp.get("/audit")
@requires(Role.PLATFORM_ADMIN, Role.OFFICIAL)
def log():
    filters = services.LogFilters(action=_code_arg("action"), object_type=_code_arg("object_type"))
    page = paginate(services.log_query(current_user, filters), PER_PAGE)
    return render_template(
        "audit/log.html",
        page=page,
        filters=filters,
        audit_labels=labels,
        sees_all=current_user.has_role(Role.PLATFORM_ADMIN),
    )


def audit_home_actions(user) -> list[HomeAction]:
    if user.has_role(Role.PLATFORM_ADMIN):
        return [
            HomeAction(
                title=_("Audit log"),
                description=_("Every recorded action on the platform, newest first."),
                url=url_for("audit.log"),
                badge=services.visible_count(user) or None,
                roles=(Role.PLATFORM_ADMIN,),
            )
        ]
    if user.has_role(Role.OFFICIAL):
        return [
            HomeAction(
                title=_("Audit log"),
                description=_(
                    "Records about organizations in your area and reveals by their staff."
                ),
                url=url_for("audit.log"),
                roles=(Role.OFFICIAL,),
            )
        ]
    return []
