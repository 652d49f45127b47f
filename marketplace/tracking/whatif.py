"""What-if coverage (domain §8.35): the live problem of a street or district from care's one
adapter, with synthetic volunteers or hours added, solved by the engine in the background
beside today's problem. Nothing but the scenario row is written.

Adding volunteers or hours only relaxes the problem, so today's teams stay a valid answer of
the changed one: the reported coverage is the better of the two solves and never falls."""

from __future__ import annotations

import copy
import math
import random
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace import jobs
from marketplace.audit.services import record
from marketplace.auth.models import Role
from marketplace.auth.scopes import Places
from marketplace.care.adapter import Scope, build_problem
from marketplace.care.run_models import ScopeKind
from marketplace.clock import utcnow
from marketplace.errors import DomainError, OutOfScope
from marketplace.extensions import db
from marketplace.geo.models import Community, Street
from marketplace.matching import SolveOptions, check_result, parse_problem, shortfall, solve
from marketplace.matching.geo import haversine_km
from marketplace.tracking import exports, labels
from marketplace.tracking.models import (
    Contract,
    ScenarioKind,
    ScenarioState,
    WhatIfScenario,
)
from marketplace.volunteers import codes

JOB = "marketplace.tracking.whatif:run_scenario"
SOLVE_SECONDS = 10.0
LANGUAGES = ("zh", "ug", "kk", "mn", "en")
MAX_ADDED = {ScenarioKind.VOLUNTEERS: 5000, ScenarioKind.HOURS: 20,
             ScenarioKind.HOUSEHOLDS: 2000}
SYNTHETIC_PREFIX = "whatif-"


def _scope_places(user, street_id: int | None) -> tuple[Scope, Places]:
    from marketplace.tracking.dashboard import area_streets

    streets = area_streets(user, street_id)
    if not streets:
        raise OutOfScope()
    if street_id is not None:
        street = streets[0]
        return Scope(ScopeKind.STREET, street.id), Places(street_id=street.id,
                                                          district_id=street.district_id)
    district_id = streets[0].district_id
    from marketplace.auth.scopes import official_area

    if district_id not in official_area(user).district_ids:
        street = streets[0]  # a street official's whole area is their street
        return Scope(ScopeKind.STREET, street.id), Places(street_id=street.id,
                                                          district_id=street.district_id)
    return Scope(ScopeKind.DISTRICT, district_id), Places(district_id=district_id)


LIVE_STATES = (ScenarioState.QUEUED, ScenarioState.RUNNING)


def _already_computing(user, scope: Scope, kind: ScenarioKind, params: dict) -> bool:
    live = db.session.scalars(select(WhatIfScenario.params).where(
        WhatIfScenario.created_by_id == user.id, WhatIfScenario.scope_kind == scope.kind.value,
        WhatIfScenario.scope_id == scope.id, WhatIfScenario.kind == kind,
        WhatIfScenario.state.in_(LIVE_STATES)))
    return params in live


def ask(user, *, street_id: int | None, kind: str, amount: int | None,
        language: str = "", contract_id: int | None = None) -> WhatIfScenario:
    """Record the question; the caller commits, then calls ``start``."""
    if not jobs.available():
        raise jobs.JobsUnavailable()
    try:
        kind = ScenarioKind(kind)
    except ValueError:
        raise DomainError("kind", _("Choose what to add.")) from None
    if amount is None or not 1 <= amount <= MAX_ADDED[kind]:
        raise DomainError("amount", _("Enter how many to add, from 1 to %(n)s.",
                                      n=MAX_ADDED[kind]))
    if language and language not in LANGUAGES:
        raise DomainError("language", _("Choose a language from the list."))
    scope, places = _scope_places(user, street_id)
    params: dict = {"amount": amount}
    if kind == ScenarioKind.VOLUNTEERS and language:
        params["language"] = language
    if kind == ScenarioKind.HOUSEHOLDS:
        contract = db.session.get(Contract, contract_id) if contract_id else None
        from marketplace.tracking.access import official_covers

        if contract is None or not official_covers(user, contract):
            raise DomainError("contract_id", _("Choose a contract of your area."))
        params["contract_id"] = contract.id
        params["organization_id"] = contract.organization_id
    if _already_computing(user, scope, kind, params):  # a double submit asks once
        raise DomainError(None, _("This question is already being computed; its answer "
                                  "will appear in the list below."))
    scenario = WhatIfScenario(scope_kind=scope.kind.value, scope_id=scope.id,
                              street_id=places.street_id, district_id=places.district_id,
                              kind=kind, params=params, created_by_id=user.id)
    db.session.add(scenario)
    db.session.flush()
    record(user, "whatif.ask", "whatif_scenario", scenario.id, actor_role=Role.OFFICIAL.value,
           places=places)
    return scenario


def start(scenario: WhatIfScenario) -> None:
    """Queue the committed question; a queue that went down since ``ask`` fails it (the
    caller commits that) and ``JobsUnavailable`` is raised."""
    try:
        jobs.enqueue(JOB, scenario.id, job_id=f"whatif-{scenario.id}")
    except jobs.JobsUnavailable:
        scenario.state = ScenarioState.FAILED
        scenario.error = "job queue unreachable"
        db.session.flush()
        raise


def scenarios_of(user):
    from marketplace.auth.scopes import official_area

    area = official_area(user)
    return (select(WhatIfScenario)
            .where(area.clause(WhatIfScenario.street_id, WhatIfScenario.district_id))
            .order_by(WhatIfScenario.id.desc()))


@dataclass(frozen=True)
class ScenarioView:
    """What the scenario page and its export show, in the reader's language."""

    scenario: WhatIfScenario
    question: str
    place: str
    state: str
    computing: bool
    failed: bool
    coverage: list[dict]  # figure, today, with the change
    recruitment: list[dict]  # street, recruits, languages, skills, staffed


def _question(scenario: WhatIfScenario) -> str:
    text = f"{labels.SCENARIO_KIND[scenario.kind]} +{scenario.params['amount']}"
    language = scenario.params.get("language")
    if language:
        text += f" · {codes.LANGUAGES.get(language, language)}"
    contract_id = scenario.params.get("contract_id")
    if contract_id:
        contract = db.session.get(Contract, contract_id)
        text += f" · {contract.title}" if contract else ""
    return text


def _place(scenario: WhatIfScenario) -> str:
    if scenario.street_id:
        return db.session.get(Street, scenario.street_id).name
    from marketplace.geo.models import District

    return db.session.get(District, scenario.district_id).name


def scenario_view(scenario: WhatIfScenario) -> ScenarioView:
    coverage = []
    if scenario.before and scenario.after:
        coverage = [
            {"figure": str(name), "today": scenario.before[key],
             "changed": scenario.after[key]}
            for key, name in (("requests", _("Open and staffed requests")),
                              ("staffed", _("Households with a team")),
                              ("priority_households_staffed",
                               _("Priority households (3 and above) with a team")))
        ]
    recruitment = [
        {"street": row["street"], "recruits": row["recruits"],
         "languages": "、".join(str(codes.LANGUAGES.get(c, c)) for c in row["languages"]),
         "skills": "、".join(str(codes.SKILLS.get(c, c)) for c in row["skills"]),
         "staffed": row["staffed"]}
        for row in scenario.recruitment or []
    ]
    return ScenarioView(
        scenario=scenario, question=_question(scenario), place=_place(scenario),
        state=str(labels.SCENARIO_STATE[scenario.state]),
        computing=scenario.state in LIVE_STATES,
        failed=scenario.state == ScenarioState.FAILED, coverage=coverage,
        recruitment=recruitment,
    )


def scenario_tables(view: ScenarioView) -> list[exports.Table]:
    """The export: coverage today and with the change, then the recruitment targets."""
    coverage = exports.Table(_("Coverage"), [_("Figure"), _("Today"), _("With the change")],
                             [[view.question, "", ""]]
                             + [[row["figure"], row["today"], row["changed"]]
                                for row in view.coverage])
    recruitment = exports.Table(_("Recruitment targets"), [
        _("Street"), _("Volunteers to recruit"), _("Languages"), _("Skills"),
        _("Open requests they would staff")],
        [[row["street"], row["recruits"], row["languages"], row["skills"], row["staffed"]]
         for row in view.recruitment])
    return [coverage, recruitment]


def places_of(scenario: WhatIfScenario) -> Places:
    return Places(street_id=scenario.street_id, district_id=scenario.district_id)


def scenario_for(user, scenario_id: int) -> WhatIfScenario:
    from marketplace.auth.scopes import official_area

    scenario = db.session.get(WhatIfScenario, scenario_id)
    if scenario is None or not official_area(user).covers(places_of(scenario)):
        raise OutOfScope()
    return scenario


# --- the background job --------------------------------------------------------------------


def _coverage(problem: dict, result: dict) -> dict:
    priority = {r["id"]: r["priority"] for r in problem["requests"]}
    staffed = [t["request"] for t in result["teams"] if t["request"] in priority]
    return {"requests": len(priority), "staffed": len(staffed),
            "priority_staffed": sum(priority[r] for r in staffed),
            "priority_households_staffed": sum(1 for r in staffed if priority[r] >= 3)}


def _solve(problem: dict) -> dict:
    parsed = parse_problem(problem)
    result = solve(parsed, SolveOptions(time_limit_s=SOLVE_SECONDS, workers=1)).to_json()
    if check_result(parsed, result):
        raise RuntimeError("the engine's answer failed its checker")
    return result


def _scope_points(scenario: WhatIfScenario) -> list[tuple[float, float]]:
    query = select(Community.lat, Community.lon)
    if scenario.street_id:
        query = query.where(Community.street_id == scenario.street_id)
    else:
        query = query.join(Street).where(Street.district_id == scenario.district_id)
    return [(lat, lon) for lat, lon in db.session.execute(query.order_by(Community.id))]


def changed_problem(problem: dict, scenario: WhatIfScenario) -> dict:
    """The live problem with the scenario's synthetic volunteers or hours added."""
    changed = copy.deepcopy(problem)
    rng = random.Random(scenario.id)
    amount = scenario.params["amount"]
    if scenario.kind == ScenarioKind.HOURS:
        for volunteer in changed["volunteers"]:
            volunteer["hours_per_week"] = min(168, volunteer["hours_per_week"] + amount)
        return changed
    points = _scope_points(scenario) or [(r["lat"], r["lon"]) for r in problem["requests"]]
    models = problem["volunteers"]
    if scenario.kind == ScenarioKind.VOLUNTEERS:
        count, social_worker = amount, False
    else:
        # Paid staff for ``amount`` more households: enough seats for that many teams.
        sizes = [r["team_size"] for r in problem["requests"]] or [3]
        count, social_worker = math.ceil(amount * sum(sizes) / len(sizes) / 2), True
    for n in range(count):
        lat, lon = points[n % len(points)] if points else (0.0, 0.0)
        base = rng.choice(models) if models else {
            "hours_per_week": 4, "max_km": 3.0, "skills": [], "languages": ["zh"]}
        languages = set(base.get("languages") or ["zh"]) | {"zh"}
        if scenario.params.get("language"):
            languages.add(scenario.params["language"])
        changed["volunteers"].append({
            "id": f"{SYNTHETIC_PREFIX}{n + 1}", "lat": lat, "lon": lon,
            "hours_per_week": max(4, base["hours_per_week"]), "max_km": base["max_km"],
            "skills": list(base.get("skills") or []), "languages": sorted(languages),
            "social_worker": social_worker or bool(base.get("social_worker")),
            "max_teams": 2,
        })
    return changed


def _recruitment_by_street(problem: dict, result: dict, scenario: WhatIfScenario) -> list:
    """The engine's shortfall as recruitment targets, each named by its nearest street."""
    streets = list(db.session.execute(
        select(Street.id, Street.name, Community.lat, Community.lon)
        .join(Community, Community.street_id == Street.id)
        .where(Street.district_id == scenario.district_id)))
    found = shortfall(parse_problem(problem), result, time_limit_s=SOLVE_SECONDS, workers=1)
    rows: dict[str, dict] = {}
    for proposal in found.proposals:
        name = min(streets, key=lambda s: haversine_km(s[2], s[3], proposal.lat,
                                                        proposal.lon))[1] if streets else ""
        row = rows.setdefault(name, {"street": name, "recruits": 0, "languages": set(),
                                     "skills": set(), "staffed": 0})
        row["recruits"] += proposal.count
        row["languages"].update(proposal.languages)
        row["skills"].update(proposal.skills)
        row["staffed"] += len(proposal.staffed)
    return [{**row, "languages": sorted(row["languages"]), "skills": sorted(row["skills"])}
            for row in rows.values()]


def run_scenario(scenario_id: int) -> None:
    """The job: baseline and changed solves on one snapshot; commits the scenario row."""
    scenario = db.session.get(WhatIfScenario, scenario_id)
    if scenario is None or scenario.state != ScenarioState.QUEUED:
        return
    scenario.state = ScenarioState.RUNNING
    db.session.commit()
    try:
        scope = Scope(ScopeKind(scenario.scope_kind), scenario.scope_id)
        problem, _snapshot = build_problem(scope, time_limit_s=SOLVE_SECONDS)
        baseline = _solve(problem)
        changed = changed_problem(problem, scenario)
        improved = _solve(changed)
        before, after = _coverage(problem, baseline), _coverage(changed, improved)
        if after["priority_staffed"] < before["priority_staffed"]:
            after = dict(before)  # today's teams remain a valid answer of the relaxed problem
        scenario.before, scenario.after = before, after
        scenario.recruitment = _recruitment_by_street(problem, baseline, scenario)
        scenario.state = ScenarioState.SUCCEEDED
    except Exception as error:  # the row says it failed; nothing else was written
        db.session.rollback()
        scenario = db.session.get(WhatIfScenario, scenario_id)
        scenario.state = ScenarioState.FAILED
        scenario.error = type(error).__name__
    scenario.finished_at = utcnow()
    db.session.commit()
