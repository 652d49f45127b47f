"""Unified social credit code (GB 32100) validation: published codes and every corruption."""

from __future__ import annotations

import pytest
from stdnum.cn import uscc as stdnum_uscc

from marketplace.orgs import uscc
from marketplace.orgs.models import LegalForm

# Published codes: the example of GB 32100-2015 itself, python-stdnum's documented example,
# and the codes printed on the business licences of well-known companies.
PUBLISHED = [
    "91350100M000100Y43",  # GB 32100-2015 example
    "91110000600037341L",  # python-stdnum documentation
    "91110000710925462X",  # PetroChina Company Limited
    "9144030071526726XG",  # Shenzhen Tencent Computer Systems
    "914403001922038216",  # Huawei Technologies
    "91330100799655058B",  # Alibaba (China)
]
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@pytest.mark.parametrize("code", PUBLISHED)
def test_published_codes_are_valid(code):
    assert uscc.validate(code) == code
    assert uscc.validate(f" {code[:6]}-{code[6:].lower()} ") == code


def _corruptions(code: str):
    for position, original in enumerate(code):
        allowed = "0123456789" if position < 8 else ALPHABET
        for replacement in allowed:
            if replacement != original:
                yield position, code[:position] + replacement + code[position + 1 :]


@pytest.mark.parametrize("code", PUBLISHED)
def test_every_single_character_corruption_is_rejected(code):
    count = 0
    for position, corrupted in _corruptions(code):
        # GB 32100 weights are 3^i mod 31, all non-zero modulo the prime 31, so changing one
        # character always changes the weighted sum modulo 31: no substitution can land on
        # another valid code. Checked here against stdnum's own check as well.
        assert not stdnum_uscc.is_valid(corrupted), (position, corrupted)
        with pytest.raises(uscc.UsccError):
            uscc.validate(corrupted)
        count += 1
    assert count == 8 * 9 + 10 * 30


@pytest.mark.parametrize("code", PUBLISHED)
def test_characters_outside_the_alphabet_are_rejected(code):
    for position in range(18):
        for bad in "IOZSV*":
            with pytest.raises(uscc.UsccError):
                uscc.validate(code[:position] + bad + code[position + 1 :])


@pytest.mark.parametrize("code", ["", "9135010", "91350100M000100Y433"])
def test_wrong_length_is_rejected(code):
    with pytest.raises(uscc.UsccError, match="18"):
        uscc.validate(code)


def test_legal_form_prefix_must_match_civil_affairs_registration():
    social_group = uscc.with_check_character("51650203MJ0000001")
    agency = uscc.with_check_character("52650203MJ0000002")
    assert uscc.validate(social_group, LegalForm.SOCIAL_GROUP) == social_group
    assert uscc.validate(agency, LegalForm.SOCIAL_SERVICE_AGENCY) == agency
    with pytest.raises(uscc.UsccError, match="51"):
        uscc.validate(agency, LegalForm.SOCIAL_GROUP)
    with pytest.raises(uscc.UsccError, match="53"):
        uscc.validate(PUBLISHED[0], LegalForm.FOUNDATION)
    # Community organizations carry no prefix rule (most have no code at all).
    assert uscc.validate(PUBLISHED[0], LegalForm.COMMUNITY_ORG) == PUBLISHED[0]
