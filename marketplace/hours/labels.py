"""Display names of the ledger's codes, read in the current language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.hours.models import HoursKind, HoursSource, HoursState

STATE = {
    HoursState.PENDING: _l("waiting for verification"),
    HoursState.VERIFIED: _l("verified"),
    HoursState.REJECTED: _l("rejected"),
}
KIND = {HoursKind.VOLUNTEER: _l("volunteer service"), HoursKind.PAID: _l("paid work")}
SOURCE = {
    HoursSource.CHECKIN: _l("check-in and check-out"),
    HoursSource.ROSTER: _l("leader's roster"),
    HoursSource.VISIT: _l("visit log"),
    HoursSource.MANUAL: _l("recorded by staff"),
}


def stars(level: int) -> str:
    return "★" * level + "☆" * (5 - level)
