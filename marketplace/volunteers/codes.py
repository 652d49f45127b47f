"""Skill, language and half-day slot codes shared with the matching engine
(``matching-format.md``), with their labels in the user's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

SKILLS: dict[str, object] = {
    "psych_support": _l("Emotional support"),
    "daily_care": _l("Daily care"),
    "nursing": _l("Nursing care"),
    "rehab": _l("Rehabilitation"),
    "legal_aid": _l("Legal aid"),
    "repair": _l("Appliance, water and power repairs"),
    "housekeeping": _l("Housekeeping and cleaning"),
    "tutoring": _l("Homework tutoring"),
    "counseling": _l("Psychological counselling"),
    "culture": _l("Culture and sports activities"),
    "escort": _l("Escort to medical visits"),
    "meal_delivery": _l("Meal help and delivery"),
}

LANGUAGES: dict[str, object] = {
    "zh": _l("Mandarin Chinese"),
    "ug": _l("Uyghur"),
    "kk": _l("Kazakh"),
    "mn": _l("Mongolian"),
    "en": _l("English"),
}

DAYS: dict[str, object] = {
    "mon": _l("Monday"),
    "tue": _l("Tuesday"),
    "wed": _l("Wednesday"),
    "thu": _l("Thursday"),
    "fri": _l("Friday"),
    "sat": _l("Saturday"),
    "sun": _l("Sunday"),
}
HALVES: dict[str, object] = {"am": _l("Morning"), "pm": _l("Afternoon")}

# mon_am, mon_pm, tue_am, … sun_pm: the 14 codes in week order.
SLOTS: tuple[str, ...] = tuple(f"{day}_{half}" for day in DAYS for half in HALVES)


def slot_label(code: str) -> str:
    day, half = code.split("_")
    return f"{DAYS[day]} {HALVES[half]}"


def ordered(codes, vocabulary) -> list[str]:
    """Known codes in the vocabulary's order, each once."""
    chosen = set(codes or ())
    return [code for code in vocabulary if code in chosen]
