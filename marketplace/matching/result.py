"""The result of a run, as in matching-format.md, built from an assignment."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .eligibility import Prepared
from .greedy import Assignment
from .problem import FORMAT_VERSION


@dataclass(frozen=True, slots=True)
class Team:
    request: str
    members: tuple[str, ...]
    reasons: dict[str, str] = field(default_factory=dict)  # member id -> why this member
    # member id -> the same reason as a code with parameters, for translation
    explanations: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class OpenRequest:
    request: str
    reason: str
    explanation: dict[str, Any] = field(default_factory=dict)  # {"code": ..., parameters}


@dataclass(frozen=True, slots=True)
class Score:
    priority_staffed: int
    kept_members: int
    total_km: float

    def key(self) -> tuple[int, int, float]:
        """Larger is better, in the objective's order."""
        return (self.priority_staffed, self.kept_members, -self.total_km)


@dataclass(frozen=True, slots=True)
class Result:
    status: str  # OPTIMAL | FEASIBLE | NO_SOLUTION
    solver: str
    teams: tuple[Team, ...]
    open: tuple[OpenRequest, ...]
    score: Score
    bound_priority_staffed: int | None
    stats: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        bound = {} if self.bound_priority_staffed is None else {
            "priority_staffed": self.bound_priority_staffed}
        return {
            "version": FORMAT_VERSION,
            "status": self.status,
            "solver": self.solver,
            "teams": [
                {"request": t.request, "members": list(t.members), "reasons": t.reasons,
                 "explanations": t.explanations}
                for t in self.teams
            ],
            "open": [{"request": o.request, "reason": o.reason, "explanation": o.explanation}
                     for o in self.open],
            "score": {
                "priority_staffed": self.score.priority_staffed,
                "kept_members": self.score.kept_members,
                "total_km": round(self.score.total_km, 3),
            },
            "bound": bound,
            "stats": self.stats,
        }


def assignment_score(prepared: Prepared, assignment: Assignment) -> Score:
    priority = kept = 0
    km = 0.0
    for r, team in enumerate(assignment):
        if not team:
            continue
        cands = prepared.requests[r]
        priority += prepared.problem.requests[r].priority
        kept += sum(cands.kept[j] for j in team)
        km += sum(cands.km[j] for j in team)
    return Score(priority, kept, km)
