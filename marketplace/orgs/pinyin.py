"""Pinyin forms of organization names, so 乐龄 is found by "leling" and by "ll"."""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def _clean(parts: list[str]) -> str:
    return _NOT_ALNUM.sub("", "".join(parts).lower())


def name_pinyin(name: str | None) -> str:
    """``乐龄社会工作服务社`` → ``lelingshehuigongzuofuwushe``."""
    return _clean(lazy_pinyin(name or ""))


def name_initials(name: str | None) -> str:
    """``乐龄社会工作服务社`` → ``llshgzfws`` (Latin letters and digits in the name are kept)."""
    return _clean(lazy_pinyin(name or "", style=Style.FIRST_LETTER))


def search_key(query: str) -> str:
    """The Latin part of a search query, lower-cased, ready to compare with the stored forms."""
    return _clean([query])
