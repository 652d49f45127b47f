"""Chinese pages carry no English leftovers from the volunteer and privacy catalogs."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po
from fixtures.builders import profile_form

from marketplace.auth.models import Role

ROOT = Path(__file__).resolve().parents[2] / "marketplace"
CATALOGS = [ROOT / pkg / "translations/zh/LC_MESSAGES/messages.po" for pkg in ("volunteers",
                                                                             "privacy")]


def _english_ids() -> list[str]:
    ids = []
    for path in CATALOGS:
        with path.open("rb") as handle:
            for message in read_po(handle):
                # Short ids ("Yes", "Home") also occur as parts of other words; longer ones
                # would only be on the page untranslated.
                if message.id and isinstance(message.id, str) and len(message.id) > 12:
                    ids.append(message.id.split("%(")[0].strip())
    return [text for text in ids if len(text) > 8]


def test_pages_in_chinese_have_no_english_leftovers(
    app, client, make_user, login_as, geo, volunteer, team_of
):
    user_id, profile_id = volunteer()
    org_id = team_of(profile_id, geo["district"])
    english = _english_ids()
    headers = {"Accept-Language": "zh-CN"}

    login_as(client, user_id)
    pages = [
        client.get("/me/profile", headers=headers),
        client.get("/me/profile/edit", headers=headers),
        client.post("/me/profile/edit", data=profile_form(geo, real_name="1"), headers=headers),
        client.get("/privacy", headers=headers),
    ]
    staff = make_user(roles=[(Role.SOCIAL_WORKER, {"organization_id": org_id})])
    login_as(client, staff)
    pages.append(client.get(f"/volunteers/{profile_id}", headers=headers))
    pages.append(client.post("/privacy/reveal", headers=headers,
                             data={"kind": "phone", "object": profile_id, "purpose": "x"}))
    pages.append(client.post("/privacy/reveal", headers=headers,
                             data={"kind": "phone", "object": profile_id, "purpose": "安排走访"}))
    for response in pages:
        body = response.get_data(as_text=True)
        leftovers = [text for text in english if text in body]
        assert leftovers == [], response.request.path
