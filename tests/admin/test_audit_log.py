"""The audit log: who may read which records, filters, pages, local time, bounded queries."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from marketplace.auth.models import Role

ALL = {"R-org-a", "R-org-b", "R-org-x", "R-reveal-a", "R-reveal-x", "R-team-a"}


def shown(client, url="/audit") -> set[str]:
    """Reasons of the records on the page (every trail record's reason starts with R-).

    Only the reason lines are read: the page's CSRF tokens are random and can hold "R-kw".
    """
    response = client.get(url)
    assert response.status_code == 200
    return set(re.findall(r"<p>[^<:]+: (R-[a-z-]+)</p>", response.get_data(as_text=True)))


def test_platform_admin_reads_every_record(client, login_as, people, trail):
    login_as(client, people["admin"])
    assert shown(client) == set(trail) == ALL


@pytest.mark.parametrize(
    ("official", "expected"),
    [
        ("district_official", {"R-org-a", "R-org-b", "R-reveal-a"}),
        ("street_official", {"R-org-a", "R-reveal-a"}),
        ("other_official", {"R-org-x", "R-reveal-x"}),
    ],
)
def test_official_reads_records_of_their_area_only(
    client, login_as, people, trail, official, expected
):
    login_as(client, people[official])
    assert shown(client) == expected


@pytest.mark.parametrize("who", ["volunteer", "worker_a"])
def test_other_roles_get_not_found(client, login_as, people, trail, who):
    login_as(client, people[who])
    assert client.get("/audit").status_code == 404


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/audit")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_actor_is_named_never_by_phone_and_labels_and_time_are_local(
    client, login_as, people, trail, add_record
):
    add_record(people["admin"], "custom.thing", "organization", 999, "R-unknown")
    login_as(client, people["admin"])
    page = client.get("/audit").get_data(as_text=True)
    assert "社工阿依古丽" in page
    assert "社工" in page  # the actor's role, translated
    for phone in ("13712340001", "13712340002", "13700000001"):
        assert phone not in page
    assert "社会组织审核通过" in page  # org.approve, translated
    assert "custom.thing" in page  # an unknown code is shown as stored
    assert "胜利路乐龄社" in page  # the organization named, not only its id
    assert "2026-01-01 10:00" in page  # 02:00 UTC is 10:00 Beijing time


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("action=reveal.", {"R-reveal-a", "R-reveal-x"}),
        ("action=org.approve", {"R-org-b"}),
        ("object_type=organization", {"R-org-a", "R-org-b", "R-org-x"}),
        ("action=org.&object_type=volunteer_profile", set()),
        ("action=org.%25", ALL),  # not an action code: ignored, not matched as a wildcard
    ],
)
def test_filters_narrow_the_list(client, login_as, people, trail, query, expected):
    login_as(client, people["admin"])
    assert shown(client, f"/audit?{query}") == expected


def test_official_filters_stay_inside_the_scope(client, login_as, people, trail):
    login_as(client, people["street_official"])
    assert shown(client, "/audit?action=reveal.") == {"R-reveal-a"}


def test_pages_of_twenty_five_newest_first(client, login_as, people, add_record):
    for i in range(30):
        add_record(people["admin"], "org.create", "organization", 1000 + i, f"R-n{i:02d}",
                   at=datetime(2026, 1, 1, 0, i))
    login_as(client, people["admin"])
    first = client.get("/audit").get_data(as_text=True)
    assert first.count('class="card audit-record"') == 25
    assert first.index("R-n29") < first.index("R-n28")
    assert "R-n04" not in first
    links = re.findall(r'href="(/audit\?[^"]*)"', client.get("/audit?action=org.").get_data(
        as_text=True
    ))
    assert any("page=2" in link and "action=org." in link for link in links)
    second = client.get("/audit?page=2").get_data(as_text=True)
    assert second.count('class="card audit-record"') == 5
    assert "R-n04" in second and "R-n29" not in second


def test_query_count_does_not_grow_with_records(
    client, login_as, make_user, people, places, add_record, count_queries
):
    def add(n):
        for i in range(n):  # a different actor each time, so a lazy actor load would show
            actor = make_user(roles=[(Role.SOCIAL_WORKER, {"organization_id": places["org_a"]})])
            if i % 2:
                add_record(actor, "reveal.phone", "volunteer_profile", i, "R-q", "social_worker")
            else:
                add_record(actor, "org.approve", "organization", places["org_a"], "R-q", "official")

    login_as(client, people["district_official"])
    add(5)
    few = count_queries(client, "/audit")
    add(35)
    many = count_queries(client, "/audit")
    assert few == many <= 8  # session, user, page count, page, grants or names
    login_as(client, people["admin"])
    assert count_queries(client, "/audit") == many
