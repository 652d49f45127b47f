"""Helpers the registry tests import by name."""

from __future__ import annotations

import itertools

from marketplace.orgs.models import LegalForm
from marketplace.orgs.uscc import CIVIL_AFFAIRS_PREFIX, with_check_character

_serial = itertools.count(1)


def next_serial() -> int:
    return next(_serial)


def valid_code(legal_form: str, serial: int | None = None) -> str:
    """A code with a correct GB 32100 check character and the legal form's 51/52/53 prefix."""
    serial = next_serial() if serial is None else serial
    prefix = CIVIL_AFFAIRS_PREFIX[LegalForm(legal_form)]
    return with_check_character(f"{prefix}650203{serial:08d}M")
