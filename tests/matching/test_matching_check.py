"""The checker catches every kind of injected violation."""

from __future__ import annotations

import copy

import pytest
from matching_builders import build, request, volunteer

from marketplace.matching import ProblemError, SolveOptions, check_result, solve


@pytest.fixture(scope="module")
def case():
    problem = build(
        [volunteer("v1", hours_per_week=3, max_teams=2), volunteer("v2", 0.5),
         volunteer("v3", 1.0, skills=["nursing"]), volunteer("v4", 4.0),
         volunteer("sw", 0.2, social_worker=True, languages=["ug"])],
        [request("h1", priority=5, current_team=["v1"]),
         request("h2", 0.3, team_size=3, skills=["nursing"], needs_social_worker=True,
                 languages=["ug"]),
         request("h3", 0.1, max_km=1.0, exclude=["v2"], slots=["mon_am"])],
    )
    result = solve(problem, SolveOptions(time_limit_s=2, workers=1)).to_json()
    assert check_result(problem, result) == []
    return problem, result


def _team(result, rid):
    return next(t for t in result["teams"] if t["request"] == rid)


def _inject(result, change):
    broken = copy.deepcopy(result)
    change(broken)
    return broken


def _staff_h3_with(member):
    def change(r):
        r["open"] = [o for o in r["open"] if o["request"] != "h3"]
        r["teams"] = [t for t in r["teams"] if t["request"] != "h3"]
        r["teams"].append({"request": "h3", "members": [member]})
    return change


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda r: _team(r, "h2")["members"].pop(), "rule 1"),
        (lambda r: _team(r, "h2")["members"].__setitem__(1, _team(r, "h2")["members"][0]),
         "rule 1: duplicate"),
        (_staff_h3_with("v4"), "rule 2"),
        (_staff_h3_with("v2"), "rule 6"),
        (lambda r: r["teams"].append({"request": "h3", "members": ["ghost"]}), "h3"),
        (lambda r: r["teams"].pop(0), "neither in teams nor in open"),
        (lambda r: r["score"].update(priority_staffed=r["score"]["priority_staffed"] + 1),
         "score.priority_staffed"),
        (lambda r: r["score"].update(kept_members=99), "score.kept_members"),
        (lambda r: r["score"].update(total_km=r["score"]["total_km"] + 0.5), "score.total_km"),
        (lambda r: r["bound"].update(priority_staffed=0), "bound.priority_staffed"),
        (lambda r: r["open"].append({"request": "h1", "reason": "x"}), "already listed"),
    ],
)
def test_injected_violation_is_reported(case, change, expected):
    problem, result = case
    violations = check_result(problem, _inject(result, change))
    assert any(expected in line for line in violations), violations


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r.update(colour="red"), "result: unknown key 'colour'"),
        (lambda r: r["teams"][0].update(request=["h1"]), "teams[0].request: expected"),
        (lambda r: r["score"].update(total_km=float("nan")), "score.total_km: expected a finite"),
        (lambda r: r["bound"].update(priority_staffed=float("nan")),
         "bound.priority_staffed: expected a finite"),
    ],
)
def test_a_result_not_in_the_format_is_refused_not_reported(case, change, message):
    problem, result = case
    with pytest.raises(ProblemError) as info:
        check_result(problem, _inject(result, change))
    assert str(info.value).startswith(message)


def test_coverage_load_and_team_count(case):
    problem = build(
        [volunteer("a", hours_per_week=1.5, max_teams=1), volunteer("b", languages=["kk"])],
        [request("x", team_size=1, skills=["nursing"], languages=["ug"],
                 needs_social_worker=True, slots=["mon_am"]),
         request("y", hours_per_week=1)],
    )
    result = {
        "version": 1, "status": "FEASIBLE", "solver": "test",
        "teams": [{"request": "x", "members": ["a"]}, {"request": "y", "members": ["a"]}],
        "open": [], "score": {"priority_staffed": 6, "kept_members": 0, "total_km": 0.0},
    }
    violations = "\n".join(check_result(problem, result))
    for expected in ("no member offers skill 'nursing'", "no member speaks ug",
                     "no member is a social worker", "rule 3", "rule 4"):
        assert expected in violations
