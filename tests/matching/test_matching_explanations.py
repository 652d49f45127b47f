"""Reasons come as codes with parameters, beside the English text, for translation."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from matching_builders import assert_valid, build, random_problem_dict, request, volunteer

from marketplace.matching import ProblemError, SolveOptions, check_result, parse_problem, solve
from marketplace.matching.eligibility import prepare
from marketplace.matching.engine import solve_prepared

DOCS = Path(__file__).resolve().parents[2] / "docs" / "matching.md"


def documented_codes() -> set[str]:
    text = DOCS.read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.MULTILINE))


def open_explanation(problem):
    result = solve(problem, SolveOptions(time_limit_s=2, workers=1))
    assert_valid(problem, result)
    assert len(result.open) == 1
    entry = result.open[0]
    return entry.explanation, entry.reason


@pytest.mark.parametrize(
    ("volunteers", "requests", "expected", "text"),
    [
        ([volunteer("zh", 0.1)], [request("h1", languages=["ug"], max_km=2.0)],
         {"code": "missing_requirement", "km": 2.0, "requirement": "language ug"},
         "no eligible volunteer within 2.0 km speaks ug"),
        ([volunteer("v1", 8.0)], [request("h1", max_km=1.0)],
         {"code": "nobody_in_reach", "km": 1.0}, "no volunteer lives within 1.0 km"),
        ([volunteer("v1"), volunteer("v2", 0.1)], [request("h1", team_size=3)],
         {"code": "too_few_eligible", "km": 5.0, "eligible": 2, "team_size": 3},
         "only 2 eligible volunteers within 5.0 km (team of 3 needed)"),
        ([volunteer("v1", slots=["tue_pm"])], [request("h1", slots=["mon_am", "sun_pm"])],
         {"code": "no_shared_slot", "km": 5.0, "slots": ["mon_am", "sun_pm"]},
         "no volunteer within 5.0 km is free in mon_am, sun_pm"),
        ([volunteer("v1")], [request("h1", exclude=["v1"])],
         {"code": "declined_or_no_teams", "km": 5.0}, "every volunteer within 5.0 km declined"),
        ([volunteer("v1", hours_per_week=1)], [request("h1", hours_per_week=2)],
         {"code": "no_time_for_visits", "km": 5.0, "hours": 2.0},
         "no volunteer within 5.0 km has 2.0 h a week"),
        ([volunteer("nurse", skills=["nursing"]), volunteer("lawyer", skills=["legal_aid"])],
         [request("h1", skills=["nursing", "legal_aid"])],
         {"code": "no_single_covers_all", "km": 5.0,
          "requirements": ["skill legal_aid", "skill nursing"]},
         "no single eligible volunteer within 5.0 km covers all of"),
    ],
)
def test_open_reason_code_and_parameters(volunteers, requests, expected, text):
    explanation, reason = open_explanation(build(volunteers, requests))
    assert explanation == expected
    assert reason.startswith(text)


def test_busy_requirement_holder_is_no_free_volunteer():
    problem = build([volunteer("sw", social_worker=True, max_teams=1), volunteer("a"),
                     volunteer("b")],
                    [request("urgent", needs_social_worker=True, priority=5),
                     request("later", team_size=3, needs_social_worker=True, priority=1)])
    explanation, reason = open_explanation(problem)
    assert explanation == {"code": "no_free_volunteer", "km": 5.0,
                           "requirement": "social worker", "eligible": 1}
    assert "(1 eligible, all committed to other teams)" in reason


def test_too_few_free_volunteers():
    problem = build([volunteer("a", max_teams=1), volunteer("b", max_teams=1),
                     volunteer("c", max_teams=1)],
                    [request("first", team_size=1, priority=5, current_team=["a"]),
                     request("team", team_size=3, priority=1)])
    explanation, _ = open_explanation(problem)
    assert explanation == {"code": "too_few_free", "km": 5.0, "free": 2, "team_size": 3}


def test_member_explanations_beside_reasons():
    problem = build([volunteer("current", 2.0, languages=["zh", "ug"]),
                     volunteer("near", 0.5, skills=["nursing"], slots=["mon_am", "tue_am"])],
                    [request("h1", team_size=2, skills=["nursing"], languages=["ug"],
                             slots=["mon_am"], current_team=["current"])])
    result = solve(problem, SolveOptions(time_limit_s=2, workers=1))
    team = result.teams[0]
    assert team.explanations["current"] == {
        "code": "kept_member", "km": 2.0, "brings": ["language ug"], "slots": ["mon_am"]}
    assert team.explanations["near"] == {
        "code": "member", "km": 0.5, "brings": ["skill nursing"], "slots": ["mon_am"]}
    assert team.reasons["current"] == "kept from current team; 2.0 km away; brings ug; free mon_am"
    data = result.to_json()
    assert data["teams"][0]["explanations"] == team.explanations
    assert check_result(problem, data) == []


def test_every_code_is_documented():
    codes = set()
    for seed in (1, 2, 3):
        problem = parse_problem(random_problem_dict(seed))
        data = solve(problem, SolveOptions(time_limit_s=2, workers=1)).to_json()
        codes |= {entry["explanation"]["code"] for entry in data["open"]}
        codes |= {why["code"] for team in data["teams"] for why in team["explanations"].values()}
    assert codes  # the instances do leave requests open and staff others
    assert codes <= documented_codes()


@pytest.mark.parametrize(("change", "record"), [
    (lambda d: d["open"][0].update(explanation={"km": 1.0}), "open[0].explanation"),
    (lambda d: d["open"][0].update(explanation="nobody"), "open[0].explanation"),
    (lambda d: d["teams"][0]["explanations"].update(near=[1]), "teams[0].explanations.near"),
    (lambda d: d["teams"][0].update(explanations=["member"]), "teams[0].explanations"),
])
def test_check_refuses_an_explanation_without_code(change, record):
    problem = build([volunteer("far", 8.0), volunteer("near", 0.5)],
                    [request("h1", max_km=1.0), request("h2", 4.0, max_km=1.0)])
    data = solve(problem, SolveOptions(time_limit_s=1, workers=1)).to_json()
    assert check_result(problem, data) == []
    change(data)
    with pytest.raises(ProblemError, match=re.escape(record)):
        check_result(problem, data)


def test_time_limit_before_preparation_leaves_requests_open_and_says_so():
    problem = parse_problem(random_problem_dict(5))
    prepared = prepare(problem, deadline=time.monotonic() - 1.0)  # the limit already passed
    result = solve_prepared(prepared, SolveOptions(time_limit_s=3, workers=1))
    assert_valid(problem, result)
    assert result.status == "FEASIBLE"
    assert result.teams == ()
    assert result.stats["status_detail"].startswith("time limit reached while preparing: 0 of")
    assert {o.explanation["code"] for o in result.open} == {"not_examined"}
    assert result.open[0].explanation["time_limit_s"] == 3
    # Nothing was examined, so nothing can be ruled out: the bound is every priority.
    assert result.bound_priority_staffed == sum(r.priority for r in problem.requests)
