"""Every page and JSON response that people other than the volunteer can open shows the
volunteer's ID number and phone masked, whichever domain renders it."""

from __future__ import annotations

from fixtures.builders import make_id_number
from werkzeug.routing import IntegerConverter

from marketplace.auth.models import Role
from marketplace.extensions import db
from marketplace.privacy.masking import mask_phone

SENTINEL_ID = make_id_number("19710203", 515)
SENTINEL_PHONE = "13577889900"


def _get_urls(app, ids: dict) -> list[str]:
    """Every GET route, with its integer arguments filled from ``ids`` (1 when unknown)."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        values = {}
        for argument in rule.arguments:
            converter = rule._converters.get(argument)
            if not isinstance(converter, IntegerConverter):
                break
            values[argument] = ids.get(argument, 1)
        else:
            urls.append(rule.build(values)[1])
    return sorted(set(urls))


def test_other_people_never_see_the_unmasked_values(
    app, client, make_user, login_as, volunteer, team_of, geo
):
    _, profile_id = volunteer(phone=SENTINEL_PHONE, id_number=SENTINEL_ID)
    org_id = team_of(profile_id, geo["district"])
    with app.app_context():
        from marketplace.teams.models import TeamMembership

        team_id = db.session.scalar(
            db.select(TeamMembership.team_id).where(TeamMembership.volunteer_id == profile_id)
        )
    ids = {"org_id": org_id, "organization_id": org_id, "team_id": team_id,
           "profile_id": profile_id, "volunteer_id": profile_id, "id": profile_id}
    viewers = {
        "volunteer": make_user(roles=[Role.VOLUNTEER]),
        "social_worker": make_user(roles=[(Role.SOCIAL_WORKER, {"organization_id": org_id})]),
        "org_admin": make_user(roles=[(Role.ORG_ADMIN, {"organization_id": org_id})]),
        "district official": make_user(roles=[(Role.OFFICIAL, {"district_id": geo["district"]})]),
        "platform admin": make_user(roles=[Role.PLATFORM_ADMIN]),
    }
    urls = _get_urls(app, ids)
    assert f"/volunteers/{profile_id}" in urls
    seen_masked = False
    for who, user_id in viewers.items():
        login_as(client, user_id)
        for url in urls:
            body = client.get(url).get_data()  # bytes: some routes answer images
            assert SENTINEL_ID.encode() not in body, (who, url)
            assert SENTINEL_PHONE.encode() not in body, (who, url)
            seen_masked = seen_masked or mask_phone(SENTINEL_PHONE).encode() in body
    assert seen_masked  # the staff's volunteer page at least shows the masked form
