"""Recruitment targets (§8.34): the engine's shortfall analysis of a run as profiles in plain
words, named by the grid nearest each cluster's centre, and a draft recruitment project for
exactly one of them."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.care.reasons import recruitment_text
from marketplace.care.run_models import MatchingRun, ScopeKind
from marketplace.errors import DomainError, OutOfScope
from marketplace.extensions import db
from marketplace.geo.models import Community, Grid
from marketplace.matching.geo import haversine_km
from marketplace.orgs.models import Organization, ServiceDomain
from marketplace.volunteers.codes import LANGUAGES, SKILLS


@dataclass(frozen=True)
class Target:
    index: int
    text: str
    grid_id: int | None
    community_id: int | None
    proposal: dict


def _nearest_grid(lat: float, lon: float) -> Grid | None:
    grids = db.session.scalars(select(Grid)).all()
    return min(grids, key=lambda g: haversine_km(lat, lon, g.lat, g.lon), default=None)


def _place_name(grid: Grid | None) -> str:
    if grid is None:
        return _("the households concerned")
    return _("grid %(grid)s of %(community)s", grid=grid.name, community=grid.community.name)


def targets(run: MatchingRun) -> list[Target]:
    proposals = (run.shortfall or {}).get("proposals", [])
    found = []
    for index, proposal in enumerate(proposals):
        grid = _nearest_grid(proposal["lat"], proposal["lon"])
        found.append(Target(index, recruitment_text(proposal, _place_name(grid)),
                            grid.id if grid else None,
                            grid.community_id if grid else None, proposal))
    return found


def summary(run: MatchingRun) -> dict | None:
    """Aggregates every reader of the run may see (officials see no household)."""
    if not run.result:
        return None
    result = run.result
    return {"staffed": len(result["teams"]), "open": len(result["open"]),
            "priority": result["score"]["priority_staffed"],
            "bound": (result.get("bound") or {}).get("priority_staffed"),
            "kept": result["score"]["kept_members"],
            "volunteers": len(run.problem.get("volunteers", [])),
            "requests": len(run.problem.get("requests", [])),
            "status": result.get("status")}


def start_project(user, run: MatchingRun, index: int):
    """A draft project of the run's organization recruiting exactly target ``index``."""
    from marketplace.projects.services import ProjectData, create_project

    if run.scope_kind not in (ScopeKind.ORGANIZATION, ScopeKind.REQUEST) \
            or run.organization_id is None:
        raise OutOfScope()
    found = targets(run)
    if not 0 <= index < len(found):
        raise OutOfScope()
    target = found[index]
    proposal = target.proposal
    org = db.session.get(Organization, run.organization_id)
    community_id = target.community_id
    if community_id is None:
        raise DomainError(None, _("This target has no place to recruit in."))
    community = db.session.get(Community, community_id)
    wanted = [str(SKILLS.get(code, code)) for code in proposal.get("skills", ())]
    speaks = [str(LANGUAGES.get(code, code)) for code in proposal.get("languages", ())
              if code != "zh"]
    description = "\n".join(line for line in (
        target.text + "。",
        _("Skills: %(skills)s", skills="、".join(wanted)) if wanted else "",
        _("Languages: %(languages)s", languages="、".join(speaks)) if speaks else "",
        _("Certified social workers wanted.") if proposal.get("social_worker") else "",
        _("Within %(km)s km of %(place)s, about %(hours)s hours a week, for up to 3 "
          "households each.", km=proposal.get("within_km"), place=community.name,
          hours=proposal.get("hours_per_week")),
    ) if line)
    from marketplace.clock import local_today

    return create_project(user, org, ProjectData(
        title=_("Recruiting care-team volunteers near %(place)s", place=community.name)[:100],
        domain=ServiceDomain.ELDER_CARE.value, starts_on=local_today(),
        community_id=community_id, description=description,
        beneficiaries=_("%(count)d households waiting for a care team",
                        count=len(proposal.get("staffed", ())))))
