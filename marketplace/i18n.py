"""Locale choice and message catalogs.

Chinese is the default. Each domain package keeps its own catalog under
``<package>/translations/zh/LC_MESSAGES/messages.po`` (message ids are English), and
Flask-Babel merges them, so domains can grow their strings without touching a shared file.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import request, session
from flask_login import current_user

PACKAGE_ROOT = Path(__file__).resolve().parent
SUPPORTED = ("zh", "en")


def translation_directories() -> list[str]:
    return sorted(str(path.parent) for path in PACKAGE_ROOT.glob("*/translations/zh"))


def compile_catalogs() -> list[Path]:
    """Compile every ``messages.po`` that is newer than its ``.mo``; returns what was written."""
    written = []
    for po_path in PACKAGE_ROOT.glob("**/translations/*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        written.append(mo_path)
    return written


def locale_from_header(header_value: str | None) -> str:
    """Map an Accept-Language header to a supported locale.

    Any Chinese tag (zh, zh-CN, zh-Hans, zh-Hans-CN, zh-TW …) means Chinese; any English tag
    means English; the first supported language in quality order wins; nothing means Chinese.
    A naive ``best_match(["zh_Hans_CN", "en"])`` gives English to ``zh-CN``, hence this.
    """
    if not header_value:
        return "zh"
    ranked = []
    for position, part in enumerate(header_value.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        if quality > 0:
            ranked.append((-quality, position, tag.strip().lower()))
    for _, _, tag in sorted(ranked):
        primary = tag.replace("_", "-").split("-")[0]
        if primary in SUPPORTED:
            return primary
    return "zh"


def select_locale() -> str:
    chosen = session.get("locale")
    if chosen in SUPPORTED:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in SUPPORTED:
        return current_user.locale
    return locale_from_header(request.headers.get("Accept-Language"))


def configure_babel(app) -> None:
    from marketplace.extensions import babel

    app.config.setdefault(
        "BABEL_TRANSLATION_DIRECTORIES", ";".join(translation_directories())
    )
    babel.init_app(app, locale_selector=select_locale)

