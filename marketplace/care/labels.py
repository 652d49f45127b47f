"""Labels of the care codes in the user's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.care.models import CareRequestState, HouseholdFlag, HouseholdState
from marketplace.projects.labels import ANSWER, CHANNEL

__all__ = ["ANSWER", "CHANNEL", "FLAG", "HOUSEHOLD_STATE", "REQUEST_STATE"]

FLAG = {
    HouseholdFlag.ADVANCED_AGE: _l("Advanced age (80+)"),
    HouseholdFlag.SOLITARY: _l("Solitary (no spouse or child)"),
    HouseholdFlag.INCAPACITATED: _l("Incapacitated"),
    HouseholdFlag.SEMI_INCAPACITATED: _l("Semi-incapacitated"),
    HouseholdFlag.EMPTY_NEST: _l("Empty nest"),
    HouseholdFlag.DIBAO: _l("Minimum living allowance (dibao)"),
    HouseholdFlag.DISABLED: _l("Disabled"),
}

HOUSEHOLD_STATE = {
    HouseholdState.ACTIVE: _l("Active"),
    HouseholdState.CLOSED: _l("Closed"),
}

REQUEST_STATE = {
    CareRequestState.OPEN: _l("Open"),
    CareRequestState.PROPOSED: _l("Proposed"),
    CareRequestState.STAFFED: _l("Staffed"),
    CareRequestState.CLOSED: _l("Closed"),
}
