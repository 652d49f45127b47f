"""Real names and resident ID numbers, checked the way the profile form checks them."""

from __future__ import annotations

from datetime import date

import pytest
from fixtures.builders import make_id_number

from marketplace.app import create_app
from marketplace.volunteers.identity import (
    LOOK_ALIKE_DOTS,
    IdentityError,
    normalise_name,
    parse_resident_id,
)

TODAY = date(2026, 11, 25)
# Published examples of GB 11643 numbers (the standard's annex and the stdnum documentation).
PUBLISHED = ("11010519491231002X", "440524188001010014", "360426199101010071")


@pytest.fixture(scope="module", autouse=True)
def request_context():
    """Messages are translated, so the checks run inside a request (no database needed)."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


@pytest.mark.parametrize("dot", list(LOOK_ALIKE_DOTS))
def test_every_look_alike_dot_becomes_the_middle_dot(dot):
    assert normalise_name(f"阿依古丽{dot}买买提") == "阿依古丽·买买提"
    assert normalise_name(f"  艾力 {dot} 吐尔逊 ") == "艾力·吐尔逊"


def test_names_are_trimmed_and_spaces_collapsed():
    assert normalise_name("  王\u3000小明 ") == "王 小明"
    assert normalise_name("努尔兰·哈布都拉") == "努尔兰·哈布都拉"
    assert normalise_name("Anna  Smith") == "Anna Smith"


def test_name_length_limit():
    assert len(normalise_name("阿" * 50)) == 50
    with pytest.raises(IdentityError, match="at most 50"):
        normalise_name("阿" * 51)


@pytest.mark.parametrize(
    "bad", ["", "   ", "王小明1", "王小明!", "<b>王</b>", "·王", "王·", "王··明"]
)
def test_names_with_other_signs_are_refused(bad):
    with pytest.raises(IdentityError):
        normalise_name(bad)


@pytest.mark.parametrize("number", PUBLISHED)
def test_published_examples_are_valid(number):
    assert parse_resident_id(number, TODAY).number == number


def test_lower_case_x_and_full_width_digits_are_accepted():
    assert parse_resident_id("11010519491231002x", TODAY).number == "11010519491231002X"
    assert parse_resident_id("１１０１０５１９４９１２３１００２Ｘ", TODAY).number == PUBLISHED[0]


@pytest.mark.parametrize("number", PUBLISHED)
def test_every_single_character_corruption_is_rejected(number):
    rejected = 0
    for position in range(18):
        for replacement in "0123456789X":
            if replacement == number[position]:
                continue
            corrupted = number[:position] + replacement + number[position + 1:]
            with pytest.raises(IdentityError):
                parse_resident_id(corrupted, TODAY)
            rejected += 1
    assert rejected == 18 * 10


def test_birth_date_and_gender_are_derived():
    woman = parse_resident_id("11010519491231002X", TODAY)
    assert (woman.birth_date, woman.gender) == (date(1949, 12, 31), "female")
    man = parse_resident_id("440524188001010014", TODAY)
    assert (man.birth_date, man.gender) == (date(1880, 1, 1), "male")
    assert parse_resident_id(make_id_number("20100615", 7), TODAY).gender == "male"


@pytest.mark.parametrize("bad", ["1101051949123100", "11010519491231002XX", "ABCDEFGHIJKLMNOPQR"])
def test_wrong_length_or_format_is_rejected(bad):
    with pytest.raises(IdentityError):
        parse_resident_id(bad, TODAY)


def test_impossible_or_future_birth_dates_are_rejected():
    with pytest.raises(IdentityError, match="not a real date"):
        parse_resident_id(make_id_number("19900230", 1), TODAY)
    with pytest.raises(IdentityError, match="not a real date"):
        parse_resident_id(make_id_number("20270101", 1), TODAY)


# Digits that ``str.isdigit`` accepts and NFKC leaves alone.
OTHER_DIGITS = {
    "Arabic-Indic": "٠١٢٣٤٥٦٧٨٩",
    "Extended Arabic-Indic": "۰۱۲۳۴۵۶۷۸۹",
    "Devanagari": "०१२३४५६७८९",
    "Mongolian": "᠐᠑᠒᠓᠔᠕᠖᠗᠘᠙",
}


def _spelled(number: str, digits: str) -> str:
    return "".join(digits[int(ch)] if ch.isdigit() else ch for ch in number)


@pytest.mark.parametrize("script", list(OTHER_DIGITS))
def test_digits_of_other_scripts_are_refused_with_the_fields_message(script):
    for number in PUBLISHED:
        with pytest.raises(IdentityError, match="17 digits followed by a digit or X"):
            parse_resident_id(_spelled(number, OTHER_DIGITS[script]), TODAY)
    # One foreign digit among ASCII ones is refused too.
    with pytest.raises(IdentityError, match="17 digits followed by a digit or X"):
        parse_resident_id(OTHER_DIGITS[script][1] + PUBLISHED[0][1:], TODAY)


@pytest.mark.parametrize("bad", ["11010519491231002\u200b", "1101051949123100\u00b2X",
                                 "11010519491231002Y", "1101051949123100\u2167X"])
def test_anything_but_ascii_digits_and_x_is_refused(bad):
    with pytest.raises(IdentityError):
        parse_resident_id(bad, TODAY)
