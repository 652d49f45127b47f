"""Unified social credit code (统一社会信用代码, GB 32100-2015) checks."""

from __future__ import annotations

from flask_babel import gettext as _
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

from marketplace.orgs.models import LegalForm

# Characters 1-2 of a code issued by 民政 (registering authority 5): 51 social group,
# 52 private non-enterprise unit, 53 foundation.
CIVIL_AFFAIRS_PREFIX = {
    LegalForm.SOCIAL_GROUP: "51",
    LegalForm.SOCIAL_SERVICE_AGENCY: "52",
    LegalForm.FOUNDATION: "53",
}


class UsccError(ValueError):
    pass


def normalise(code: str | None) -> str:
    return stdnum_uscc.compact(code or "")


def validate(code: str, legal_form: LegalForm | None = None) -> str:
    """Return the compact code or raise ``UsccError`` with a translated message."""
    code = normalise(code)
    try:
        stdnum_uscc.validate(code)
    except InvalidLength:
        raise UsccError(_("A unified social credit code has 18 characters.")) from None
    except InvalidChecksum:
        raise UsccError(
            _("The check character does not match: please copy the code from the certificate.")
        ) from None
    except ValidationError:
        raise UsccError(
            _("Only digits and capital letters other than I, O, Z, S and V are allowed.")
        ) from None
    prefix = CIVIL_AFFAIRS_PREFIX.get(legal_form)
    if prefix and not code.startswith(prefix):
        raise UsccError(
            _("A code issued for this legal form starts with %(prefix)s.", prefix=prefix)
        )
    return code


def with_check_character(first17: str) -> str:
    """Complete 17 characters with their GB 32100 check character (used by the demo data)."""
    return first17 + stdnum_uscc.calc_check_digit(first17)
