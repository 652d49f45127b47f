"""The small-numbers rule, and the dashboards that apply it."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from marketplace.clock import local_today
from marketplace.tracking.suppression import shown


@given(st.integers(min_value=0, max_value=10**9))
def test_a_count_under_five_is_never_shown_exactly(count):
    text = shown(count)
    assert text == ("<5" if count < 5 else str(count))


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=10**6))
def test_a_rate_over_fewer_than_five_is_a_dash_otherwise_the_percentage(numerator, denominator):
    numerator = min(numerator, denominator)
    text = shown(numerator, denominator)
    if denominator < 5:
        assert text == "—"
    else:
        assert re.fullmatch(r"\d{1,3}\.\d%", text)
        assert abs(float(text[:-1]) - 100 * numerator / denominator) <= 0.05


def test_the_dashboard_renders_tables_beside_charts_with_small_counts_hidden(
        app, client, login_as, world, make_contract, records):
    contract_id = make_contract("in_progress")
    _household, team_id = records.household(contract_id)
    records.visit(team_id, local_today())
    login_as(client, world["official"])
    page = client.get("/tracking/dashboard", headers={"Accept-Language": "zh-CN"}).get_data(
        as_text=True)
    assert page.count('data-chart="') == 6 and page.count("<table>") == 6
    assert "echarts.min.js" in page and "<script>" not in page
    # One volunteer in street A and one empty-nest household in 百花社区: both too small.
    assert "<td>&lt;5</td>" in page and "<td>—</td>" in page
    data = client.get("/tracking/dashboard/data.json").get_json()
    assert {row["name"] for row in data["streets"]} == {"胜利路街道", "昆仑路街道"}
    assert data["budget"][0]["id"] == contract_id


def test_a_street_officials_dashboard_covers_their_street(client, login_as, world, geo):
    login_as(client, world["street_official"])
    data = client.get("/tracking/dashboard/data.json").get_json()
    assert [row["name"] for row in data["streets"]] == ["胜利路街道"]
    assert client.get(f"/tracking/dashboard?street={geo['street_b']}").status_code == 404
