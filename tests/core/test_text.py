"""The shared rule for typed text: no control or direction-override characters, and required
text must hold something a reader can see."""

from __future__ import annotations

import pytest

from marketplace.text import forbidden_character, visible_length

# Text that looks empty or turns around what follows it, as the probe typed it.
INVISIBLE_ONLY = ["\u200b\u200b\u200b\u200b", "\u200c\u200d\u2060\ufeff", "\u3164\u3164\u3164",
                  "\u2800\u2800\u2800\u2800", "\u00ad\u00ad\u00ad\u00ad"]
OVERRIDES = ["\u202e\u202e\u202e\u202e", "王芳\u202e", "\u2066乐龄\u2069", "\u202a社\u202c"]
CONTROLS = ["王\x00芳", "王芳\x07", "\x1b[31m王芳", "王\n芳", "王\x7f芳"]


@pytest.mark.parametrize("text", OVERRIDES + CONTROLS)
def test_controls_and_overrides_are_found(text):
    assert forbidden_character(text) is not None


@pytest.mark.parametrize("text", [*INVISIBLE_ONLY, "   ", "\u3000"])
def test_invisible_text_has_no_visible_length(text):
    assert visible_length(text) == 0


@pytest.mark.parametrize("text", ["阿依古丽·买买提", "Anna Smith", "王芳 🙂", "👨\u200d👩\u200d👧",
                                  "ئەخمەت\u200fجان", "社区（二期）"])
def test_ordinary_names_pass(text):
    assert forbidden_character(text) is None
    assert visible_length(text) > 0


def test_line_breaks_and_tabs_only_in_multi_line_fields():
    assert forbidden_character("第一行\r\n第二行\t完") is not None
    assert forbidden_character("第一行\r\n第二行\t完", multiline=True) is None
    assert forbidden_character("第一行\x00", multiline=True) == "\x00"
