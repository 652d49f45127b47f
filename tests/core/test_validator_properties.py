"""Property tests of the validators people's input goes through: resident ID numbers, unified
social credit codes, mobile phones and free text. Whatever is typed, the answer is the
canonical value or the validator's own error, never an exception of another kind, and what
is accepted satisfies the rule it was checked against."""

from __future__ import annotations

import string
from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from stdnum.cn import ric
from werkzeug.datastructures import MultiDict
from wtforms import Form, StringField, TextAreaField
from wtforms.validators import StopValidation

from marketplace.app import create_app
from marketplace.auth.phones import MOBILE_PATTERN, normalise_phone
from marketplace.orgs import uscc
from marketplace.text import BIDI_CONTROLS, CleanText, forbidden_character, visible_length
from marketplace.volunteers.identity import IdentityError, normalise_name, parse_resident_id

TODAY = date(2026, 6, 1)
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
FULL_WIDTH = {str(n): chr(0xFF10 + n) for n in range(10)}
# What people paste: digits in several scripts, the letters an ID or code may hold, spaces
# and dashes, and the invisible characters that make two spellings look alike.
TYPED = st.text(st.sampled_from(
    list(string.digits + "Xx +-ABCDEFGHJKLMNPQRTUWXYIOZSV·")
    + list(FULL_WIDTH.values()) + ["\u0660", "\u06f1", "\u200b", "\u202e", "\u3000", "\n"]
), max_size=24)


@pytest.fixture(scope="module", autouse=True)
def request_context():
    """Error messages are translated, so the validators run inside a request."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


resident_ids = st.builds(
    lambda region, birth, sequence: (body := f"{region}{birth:%Y%m%d}{sequence:03d}")
    + ric.calc_check_digit(body + "0"),
    st.integers(110000, 659004).map(str),
    st.dates(date(1900, 1, 1), TODAY),
    st.integers(0, 999),
)


@given(TYPED | st.text(max_size=30))
def test_any_typed_id_number_is_a_valid_number_or_a_clear_error(raw):
    try:
        parsed = parse_resident_id(raw, TODAY)
    except IdentityError as error:
        assert error.message
        return
    number = parsed.number
    assert len(number) == 18 and number[:17].isascii() and number[:17].isdigit()
    assert ric.calc_check_digit(number) == number[17]
    assert parsed.birth_date <= TODAY and parsed.birth_date.strftime("%Y%m%d") == number[6:14]
    assert parsed.gender == ("male" if int(number[16]) % 2 else "female")


@given(resident_ids, st.booleans())
def test_every_valid_id_number_is_accepted_however_typed(number, full_width):
    typed = "".join(FULL_WIDTH.get(c, c) for c in number) if full_width else number.lower()
    typed = f" {typed[:6]} {typed[6:14]} {typed[14:]} "
    assert parse_resident_id(typed, TODAY).number == number


@given(resident_ids, st.integers(0, 16), st.integers(1, 9))
def test_one_mistyped_digit_of_an_id_number_is_always_caught(number, position, shift):
    wrong = str((int(number[position]) + shift) % 10)
    with pytest.raises(IdentityError):
        parse_resident_id(number[:position] + wrong + number[position + 1:], TODAY)


@given(st.text(max_size=60))
def test_a_normalised_name_stays_the_same_when_normalised_again(raw):
    try:
        name = normalise_name(raw)
    except IdentityError:
        return
    assert normalise_name(name) == name
    assert forbidden_character(name) is None and visible_length(name) > 0


credit_codes = st.text(st.sampled_from(USCC_ALPHABET), min_size=9, max_size=9).map(
    lambda tail: uscc.with_check_character(f"52650203{tail}"))


@given(TYPED | st.text(max_size=30))
def test_any_typed_credit_code_is_valid_or_a_clear_error(raw):
    try:
        code = uscc.validate(raw)
    except uscc.UsccError as error:
        assert str(error)
        return
    assert len(code) == 18 and set(code) <= set(USCC_ALPHABET)
    assert uscc.with_check_character(code[:17]) == code
    assert uscc.validate(code) == code


@given(credit_codes, st.integers(8, 16), st.sampled_from(USCC_ALPHABET))
def test_one_wrong_character_of_a_credit_code_is_always_caught(code, position, replacement):
    if replacement == code[position]:
        return
    with pytest.raises(uscc.UsccError):
        uscc.validate(code[:position] + replacement + code[position + 1:])


mobiles = st.from_regex(r"\A1[3-9][0-9]{9}\Z")


@given(TYPED | st.text(max_size=30))
@example("86" + "1" * 11)
def test_any_typed_phone_is_eleven_mobile_digits_or_nothing(raw):
    phone = normalise_phone(raw)
    if phone is not None:
        assert MOBILE_PATTERN.fullmatch(phone) and phone.isascii()
        assert normalise_phone(phone) == phone


@given(mobiles, st.sampled_from(["", "+86", "0086", "86", "+86 "]), st.booleans(),
       st.sampled_from(["", " ", "-"]))
def test_a_mobile_number_is_found_however_it_is_written(number, prefix, full_width, gap):
    digits = "".join(FULL_WIDTH.get(c, c) for c in number) if full_width else number
    assert normalise_phone(f"{prefix}{digits[:3]}{gap}{digits[3:7]}{gap}{digits[7:]}") == number


class _TextForm(Form):
    line = StringField("Name", validators=[CleanText(required=True)])
    lines = TextAreaField("Note", validators=[CleanText(multiline=True)])


def _accepted(validator, value: str) -> bool:
    form = _TextForm(MultiDict({"line": value, "lines": value}))
    field = form.lines if validator.multiline else form.line
    field.data = value
    try:
        validator(form, field)
    except StopValidation:
        return False
    return True


@given(st.text(max_size=40), st.booleans())
def test_accepted_text_holds_no_control_or_direction_character_and_something_visible(
        value, multiline):
    validator = CleanText(required=not multiline, multiline=multiline)
    if not _accepted(validator, value):
        return
    allowed_controls = "\t\n\r" if multiline else ""
    assert not set(value) & BIDI_CONTROLS
    assert all(c in allowed_controls or not (ord(c) < 32 or 127 <= ord(c) < 160) for c in value)
    if not multiline:
        assert visible_length(value) > 0


@given(st.text(max_size=20), st.sampled_from([*sorted(BIDI_CONTROLS), "\x00", "\x1b", "\x7f"]),
       st.text(max_size=20), st.booleans())
def test_a_direction_override_or_control_character_anywhere_is_refused(
        before, control, after, multiline):
    assert not _accepted(CleanText(multiline=multiline), before + control + after)


@given(st.text(st.sampled_from("\u200b\u200c\u200d\ufeff\u3164\u2800 \u3000"), min_size=1))
def test_invisible_text_is_no_answer_to_a_required_field(value):
    assert not _accepted(CleanText(required=True), value)
