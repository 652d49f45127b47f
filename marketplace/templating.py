"""What every template may use."""

from __future__ import annotations

from flask import Flask, request
from flask_babel import get_locale


def register(app: Flask) -> None:
    @app.context_processor
    def inject_locale():
        locale = str(get_locale() or "zh")
        return {
            "current_locale": locale,
            "html_lang": "zh-CN" if locale == "zh" else "en",
            "current_path": request.full_path.rstrip("?") if request else "/",
        }

    @app.template_filter("pairs")
    def pairs(objects, value_attribute: str, text_attribute: str) -> list[tuple]:
        """(value, text) of each object, for a select's choices."""
        return [(getattr(o, value_attribute), getattr(o, text_attribute)) for o in objects]
