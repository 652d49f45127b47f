"""One tiny named instance per hard rule, where the only right answer is known.

Every instance goes through the CP-SAT solver and the greedy; both answers must be
the expected one and pass the independent checker.
"""

from __future__ import annotations

from matching_builders import assert_valid, build, request, teams_of, volunteer

from marketplace.matching import SolveOptions, greedy, solve


def solve_both(problem):
    solved = solve(problem, SolveOptions(time_limit_s=5, workers=1))
    baseline = greedy(problem)
    for result in (solved, baseline):
        assert_valid(problem, result)
    assert solved.bound_priority_staffed >= solved.score.priority_staffed
    assert solved.score.priority_staffed >= baseline.score.priority_staffed
    return solved, baseline


def test_rule1_whole_team_or_none():
    problem = build([volunteer("v1"), volunteer("v2", 0.1)],
                    [request("h1", team_size=3, priority=5),
                     request("h2", team_size=2, priority=1)])
    for result in solve_both(problem):
        assert teams_of(result) == {"h2": ("v1", "v2")}
        assert "only 2 eligible volunteers" in result.open[0].reason


def test_rule2_both_distance_limits():
    problem = build([volunteer("too_far_for_volunteer", 1.5, max_km=1.0),
                     volunteer("too_far_for_request", 2.5),
                     volunteer("ok", 1.8)],
                    [request("h1", max_km=2.0)])
    for result in solve_both(problem):
        assert teams_of(result) == {"h1": ("ok",)}


def test_rule3_load_includes_round_trips():
    # Each request costs 1.4 h + 2 * 1.5 km / 15 km/h = 1.6 h; both would be 3.2 h > 3 h.
    problem = build([volunteer("v1", hours_per_week=3)],
                    [request("low", 1.5, hours_per_week=1.4, priority=2),
                     request("high", 1.5, hours_per_week=1.4, priority=5)])
    for result in solve_both(problem):
        assert teams_of(result) == {"high": ("v1",)}


def test_rule3_rounding_never_overbooks():
    # 2 h + a 1.5 m round trip each: 4.0004 h together, just over a 4 h budget.
    problem = build([volunteer("v1", hours_per_week=4)],
                    [request("a", 0.0015, hours_per_week=2, priority=3),
                     request("b", 0.0015, hours_per_week=2, priority=4)])
    for result in solve_both(problem):
        assert teams_of(result) == {"b": ("v1",)}


def test_rule3_exact_budget_is_allowed():
    problem = build([volunteer("v1", hours_per_week=4)],
                    [request("a", hours_per_week=2), request("b", hours_per_week=2)])
    for result in solve_both(problem):
        assert teams_of(result) == {"a": ("v1",), "b": ("v1",)}


def test_rule4_max_teams():
    problem = build([volunteer("v1", max_teams=1)],
                    [request("h1", priority=1), request("h2", priority=4)])
    for result in solve_both(problem):
        assert teams_of(result) == {"h2": ("v1",)}


def test_rule5_every_skill_covered_by_the_team():
    problem = build([volunteer("nurse", 0.3, skills=["nursing"]),
                     volunteer("lawyer", 0.4, skills=["legal_aid"]),
                     volunteer("near", 0.1), volunteer("far", 0.9)],
                    [request("family", team_size=3, skills=["nursing", "legal_aid"]),
                     request("single", 2.0, skills=["nursing", "legal_aid"], priority=5)])
    for result in solve_both(problem):
        assert teams_of(result) == {"family": ("lawyer", "near", "nurse")}
        assert result.open[0].request == "single"
        assert "no single eligible volunteer" in result.open[0].reason


def test_rule5_language():
    problem = build([volunteer("zh_near", 0.1), volunteer("ug_far", 1.0, languages=["ug"])],
                    [request("h1", languages=["ug", "kk"])])
    for result in solve_both(problem):
        assert teams_of(result) == {"h1": ("ug_far",)}


def test_rule5_language_missing_is_explained():
    problem = build([volunteer("zh", 0.1)], [request("h1", languages=["ug"], max_km=2.0)])
    for result in solve_both(problem):
        assert result.teams == ()
        assert result.open[0].reason == "no eligible volunteer within 2.0 km speaks ug"


def test_rule5_social_worker():
    problem = build([volunteer("a", 0.1), volunteer("b", 0.2), volunteer("c", 0.3),
                     volunteer("sw", 2.0, social_worker=True)],
                    [request("h1", team_size=3, needs_social_worker=True)])
    for result in solve_both(problem):
        assert teams_of(result) == {"h1": ("a", "b", "sw")}


def test_rule5_social_worker_busy_is_explained():
    problem = build([volunteer("sw", social_worker=True, max_teams=1), volunteer("a"),
                     volunteer("b")],
                    [request("urgent", team_size=1, needs_social_worker=True, priority=5),
                     request("later", team_size=3, needs_social_worker=True, priority=1)])
    solved, _ = solve_both(problem)
    assert teams_of(solved) == {"urgent": ("sw",)}
    assert solved.open[0].reason.startswith("no volunteer within 5.0 km who is a social "
                                            "worker has time left")


def test_rule5_slots():
    problem = build([volunteer("wrong_slot", 0.1, slots=["tue_pm"]),
                     volunteer("any_slot", 1.0),
                     volunteer("right_slot", 2.0, slots=["mon_am", "sun_pm"])],
                    [request("h1", slots=["mon_am"])])
    for result in solve_both(problem):
        assert teams_of(result) == {"h1": ("any_slot",)}


def test_rule6_exclude():
    problem = build([volunteer("declined", 0.1), volunteer("v2", 1.0)],
                    [request("h1", exclude=["declined"])])
    for result in solve_both(problem):
        assert teams_of(result) == {"h1": ("v2",)}


def test_objective_keeps_current_members_over_distance():
    problem = build([volunteer("near", 0.1), volunteer("current", 2.0),
                     volunteer("gone", 9.0)],
                    [request("h1", current_team=["current"]),
                     request("h2", 0.05, current_team=["gone"])])
    for result in solve_both(problem):
        assert teams_of(result) == {"h1": ("current",), "h2": ("near",)}
        assert result.score.kept_members == 1
        reasons = {t.request: t.reasons for t in result.teams}
        assert reasons["h1"]["current"].startswith("kept from current team")


def test_objective_priority_before_kept_members():
    problem = build([volunteer("v1", max_teams=1)],
                    [request("h1", priority=1, current_team=["v1"]),
                     request("h2", priority=2)])
    for result in solve_both(problem):
        assert teams_of(result) == {"h2": ("v1",)}


def test_nobody_in_reach_is_explained():
    problem = build([volunteer("v1", 8.0)], [request("h1", max_km=1.0)])
    for result in solve_both(problem):
        assert result.open[0].reason.startswith("no volunteer lives within 1.0 km")
