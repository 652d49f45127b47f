"""Every message of the care pages and services has its Chinese translation, and the pages
speak Chinese by default."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None}
# The matching runs' modules and pages have their own catalog test.
RUNS = {"adapter.py", "reasons.py", "recruitment.py", "review.py", "runs.py"}


def _households_part(filename: str) -> bool:
    name = Path(filename).name
    return not (name in RUNS or name.startswith("run_") or filename.startswith("runs/"))


def test_every_care_message_is_translated():
    used = set()
    for directory, method in ((ROOT / "marketplace" / "care", "python"),
                              (ROOT / "templates" / "care", "jinja2")):
        pattern = "**.py" if method == "python" else "**.html"
        for filename, _l, message, _c, _x in extract_from_dir(
            str(directory), [(pattern, method)], keywords=KEYWORDS
        ):
            if _households_part(filename):
                used.add(message if isinstance(message, str) else message[0])
    translated = set()
    for path in (ROOT / "marketplace").glob("*/translations/zh/LC_MESSAGES/messages.po"):
        with path.open("rb") as handle:
            translated |= {m.id for m in read_po(handle) if m.id and m.string}
    assert len(used) > 100
    assert sorted(used - translated) == []


def test_the_household_form_speaks_chinese(care, as_user):
    page = as_user(care["social_worker"]).get("/care/households/new").text
    assert "登记服务对象" in page and "优先标记" in page and "空巢" in page


def test_points_are_placed_on_a_map_with_typed_coordinates_as_fallback(
    care, as_user, make_user, login_as, app
):
    from marketplace.auth.models import Role

    household_page = as_user(care["social_worker"]).get("/care/households/new").text
    volunteer_page = as_user(make_user(roles=[Role.VOLUNTEER])).get("/me/profile/edit").text
    for page in (household_page, volunteer_page):
        assert 'class="point-map"' in page and "vendor/leaflet/leaflet.js" in page
        assert "js/point-map.js" in page and "一网格" in page  # the grids to draw
        assert 'name="lat"' in page and 'name="lon"' in page  # works without JavaScript
        assert "tile.openstreetmap" not in page  # no outside tiles by default
