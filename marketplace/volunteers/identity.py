"""Real names and resident ID numbers (居民身份证号码, GB 11643) as people type them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

MIDDLE_DOT = "\u00b7"
NAME_MAX_LENGTH = 50
# Dots that input methods and fonts offer in place of the middle dot of Uyghur and Kazakh
# names on ID cards: bullet, katakana middle dots, hyphenation point, dot operator,
# Greek ano teleia, full-width full stop, word separator middle dot, and the ASCII full stop.
LOOK_ALIKE_DOTS = "\u2022\u30fb\uff65\u2027\u22c5\u0387\uff0e\u2e31."
_DOT_TABLE = str.maketrans({dot: MIDDLE_DOT for dot in LOOK_ALIKE_DOTS})
_SPACES = re.compile(r"\s+")
# Chinese input methods type full-width digits, X and spaces; those fold to ASCII. Nothing
# else does: other scripts' digits pass ``str.isdigit`` (and survive NFKC), so one person
# could register twice under spellings that digest differently.
_FULL_WIDTH = str.maketrans(
    {**{chr(0xFF10 + n): str(n) for n in range(10)}, "\uff38": "X", "\uff58": "X",
     "\u3000": " "}
)
_RESIDENT_ID_PATTERN = re.compile(r"[0-9]{17}[0-9X]")


class IdentityError(ValueError):
    """A value the person must correct; ``message`` is translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def normalise_name(raw: str | None) -> str:
    """Trim, collapse spaces, turn look-alike dots into ``·``; raise IdentityError if the result
    is empty, too long, or holds anything but letters, spaces and single inner dots."""
    text = unicodedata.normalize("NFC", raw or "").translate(_DOT_TABLE)
    text = _SPACES.sub(" ", text).strip()
    # Spaces typed around the dot are not part of the name.
    text = re.sub(r" ?\u00b7 ?", MIDDLE_DOT, text)
    if not text:
        raise IdentityError(_("Enter your real name as on your ID card."))
    if len(text) > NAME_MAX_LENGTH:
        raise IdentityError(
            _("The name may have at most %(count)d characters.", count=NAME_MAX_LENGTH)
        )
    for char in text:
        if char not in (MIDDLE_DOT, " ") and not char.isalpha():
            raise IdentityError(
                _("A name holds letters and the middle dot · only, no digits or other signs.")
            )
    if text.startswith(MIDDLE_DOT) or text.endswith(MIDDLE_DOT) or MIDDLE_DOT * 2 in text:
        raise IdentityError(_("The middle dot · goes between two parts of the name."))
    return text


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: date
    gender: str  # "male" | "female": the 17th digit is odd for men


def parse_resident_id(raw: str | None, today: date) -> ResidentId:
    """Validate an 18-character resident ID number (check character per GB 11643).

    The place code is not checked against today's list of counties: codes are retired when
    counties merge and older cards keep theirs.
    """
    text = (raw or "").translate(_FULL_WIDTH).replace(" ", "").replace("x", "X")
    if not text:
        raise IdentityError(_("Enter your 18-character resident ID number."))
    if len(text) != 18:
        raise IdentityError(_("A resident ID number has 18 characters."))
    if not _RESIDENT_ID_PATTERN.fullmatch(text):
        raise IdentityError(
            _("A resident ID number is 17 digits followed by a digit or X.")
        )
    if ric.calc_check_digit(text) != text[17]:
        raise IdentityError(_("This resident ID number does not exist: check each character."))
    try:
        birth = ric.get_birth_date(text)
    except StdnumError:
        raise IdentityError(
            _("The birth date in this resident ID number is not a real date.")
        ) from None
    if birth > today or birth.year < 1870:
        raise IdentityError(
            _("The birth date in this resident ID number is not a real date.")
        )
    gender = "male" if int(text[16]) % 2 else "female"
    return ResidentId(number=text, birth_date=birth, gender=gender)


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
