"""Demo person names look like the district's people (domain §6)."""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter

from marketplace.demo.names import person_name

HAN = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
DOTTED = re.compile(r"^[\u4e00-\u9fff]{2,6}\u00b7[\u4e00-\u9fff]{2,6}$")
LOOK_ALIKE_DOTS = "\u2022\u2027\u30fb\uff65\u0387\u22c5\u2219.．"


def _draw(count: int, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    return [person_name(rng) for _ in range(count)]


def test_uyghur_and_kazakh_names_join_given_and_fathers_name_with_a_middle_dot():
    for name, ethnicity in _draw(3000):
        if ethnicity in ("uyghur", "kazakh"):
            assert DOTTED.match(name), name
            given, father = name.split("\u00b7")
            assert given != father
        else:
            assert "\u00b7" not in name, name
        assert not any(dot in name for dot in LOOK_ALIKE_DOTS), name
        assert unicodedata.is_normalized("NFC", name)
        assert len(name) <= 50


def test_han_and_hui_names_are_a_surname_and_a_one_or_two_character_given_name():
    han = [name for name, ethnicity in _draw(3000) if ethnicity in ("han", "hui")]
    assert all(HAN.match(name) for name in han)
    lengths = Counter(len(name) for name in han)
    # Both one- and two-character given names occur, two-character ones more often.
    assert lengths[2] > 300 and lengths[3] > lengths[2]
    assert Counter(name[0] for name in han).most_common(3)[0][0] in "王李张刘马"


def test_the_mix_follows_the_district_shares_and_names_vary():
    draws = _draw(10_000, seed=11)
    shares = Counter(ethnicity for _, ethnicity in draws)
    assert abs(shares["han"] / 10_000 - 0.78) < 0.02
    assert abs(shares["uyghur"] / 10_000 - 0.14) < 0.015
    assert abs(shares["kazakh"] / 10_000 - 0.05) < 0.01
    assert 100 < shares["hui"] + shares["mongol"] < 500
    assert len({name for name, _ in draws}) > 5_000


def test_gender_is_respected_and_the_same_seed_gives_the_same_names():
    assert _draw(200, seed=3) == _draw(200, seed=3)
    rng = random.Random(5)
    female = {person_name(rng, gender="f")[0] for _ in range(500)}
    assert not female & {"艾力·吐尔逊", "努尔兰·哈布都拉"}
    assert any(name.startswith(("阿依古丽·", "古丽娜尔·", "阿曼古丽·")) for name in female)
