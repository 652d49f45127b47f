"""Display labels of the projects domain's codes; the Chinese ones live in this package's
catalog. Service domains are the registry's (``orgs.labels.DOMAIN``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.orgs.labels import DOMAIN
from marketplace.projects.models import (
    FeeType,
    FollowUpAnswer,
    FollowUpChannel,
    ProjectState,
    ShiftState,
    SignUpState,
)

__all__ = [
    "ANSWER",
    "CHANNEL",
    "DOMAIN",
    "FEE_TYPE",
    "PROJECT_STATE",
    "SHIFT_STATE",
    "SIGNUP_STATE",
]

FEE_TYPE = {
    FeeType.FREE: _l("Free of charge"),
    FeeType.LOW_FEE: _l("Low fee"),
    FeeType.PAID: _l("Paid service"),
}

PROJECT_STATE = {
    ProjectState.DRAFT: _l("Draft"),
    ProjectState.PUBLISHED: _l("Published"),
    ProjectState.CLOSED: _l("Closed"),
}

SHIFT_STATE = {
    ShiftState.SCHEDULED: _l("Scheduled"),
    ShiftState.HELD: _l("Held"),
    ShiftState.CANCELLED: _l("Cancelled"),
}

SIGNUP_STATE = {
    SignUpState.CONFIRMED: _l("Confirmed"),
    SignUpState.WAITLISTED: _l("On the waiting list"),
    SignUpState.CANCELLED: _l("Cancelled"),
    SignUpState.ATTENDED: _l("Attended"),
    SignUpState.NO_SHOW: _l("Did not come"),
}

CHANNEL = {
    FollowUpChannel.ON_SITE: _l("On site"),
    FollowUpChannel.PHONE: _l("By phone"),
    FollowUpChannel.VISIT: _l("Home visit"),
}

ANSWER = {
    FollowUpAnswer.SATISFIED: _l("Satisfied"),
    FollowUpAnswer.BASICALLY_SATISFIED: _l("Basically satisfied"),
    FollowUpAnswer.DISSATISFIED: _l("Dissatisfied"),
    FollowUpAnswer.NOT_REACHED: _l("Not reached"),
}
