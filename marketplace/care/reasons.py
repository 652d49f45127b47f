"""The engine's reason codes (docs/matching.md, "Reason codes") and recruitment targets in the
reader's language, from this package's catalog. The engine's English sentences are never
shown: a code the catalog does not know yet shows as a neutral sentence with its code."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from marketplace.volunteers.codes import LANGUAGES, SKILLS, slot_label


def _join(items) -> str:
    return "、".join(str(item) for item in items)


def requirement_text(requirement: str) -> str:
    """``skill legal_aid`` / ``language ug/kk`` / ``social worker``, as words."""
    kind, _sep, value = requirement.partition(" ")
    if kind == "skill":
        return _("offers %(skill)s", skill=SKILLS.get(value, value))
    if kind == "language":
        return _("speaks %(languages)s",
                 languages=_join(LANGUAGES.get(code, code) for code in value.split("/")))
    if requirement == "social worker":
        return _("is a certified social worker")
    return requirement


def _brings(brings) -> str:
    return _join(requirement_text(item) for item in brings or ()) or _("general help")


def _slots(slots) -> str:
    return _join(slot_label(code) for code in slots or ()) if slots else _("any agreed time")


def member_reason(explanation: dict) -> str:
    code = (explanation or {}).get("code")
    km = explanation.get("km", "") if explanation else ""
    if code == "kept_member":
        return _("Kept from the current team; %(km)s km away; %(brings)s; free %(slots)s.",
                 km=km, brings=_brings(explanation.get("brings")),
                 slots=_slots(explanation.get("slots")))
    if code == "member":
        return _("%(km)s km away; %(brings)s; free %(slots)s.", km=km,
                 brings=_brings(explanation.get("brings")),
                 slots=_slots(explanation.get("slots")))
    return _("Proposed by the matching rules (reason %(code)s).", code=code or "-")


def open_reason(explanation: dict) -> str:
    e = explanation or {}
    code = e.get("code")
    km = e.get("km", "")
    if code == "not_examined":
        return _("Not examined before the time limit of %(s)s s; run again with a longer "
                 "limit.", s=e.get("time_limit_s", ""))
    if code == "nobody_in_reach":
        return _("No volunteer lives within %(km)s km; widen the distance or recruit nearby.",
                 km=km)
    if code == "no_shared_slot":
        return _("No volunteer within %(km)s km is free at %(slots)s; offer other times.",
                 km=km, slots=_slots(e.get("slots")))
    if code == "declined_or_no_teams":
        return _("Every volunteer within %(km)s km declined it before or takes no teams.",
                 km=km)
    if code == "no_time_for_visits":
        return _("No volunteer within %(km)s km has %(hours)s h a week for it; fewer or "
                 "shorter visits would help.", km=km, hours=e.get("hours", ""))
    if code == "too_few_eligible":
        return _("Only %(eligible)s eligible volunteers within %(km)s km (a team of "
                 "%(size)s is needed).", eligible=e.get("eligible", ""), km=km,
                 size=e.get("team_size", ""))
    if code == "missing_requirement":
        return _("No eligible volunteer within %(km)s km %(requirement)s.", km=km,
                 requirement=requirement_text(e.get("requirement", "")))
    if code == "no_single_covers_all":
        return _("No single eligible volunteer within %(km)s km covers all of: "
                 "%(requirements)s.", km=km,
                 requirements=_join(requirement_text(r) for r in e.get("requirements", ())))
    if code == "no_free_volunteer":
        return _("Every volunteer within %(km)s km who %(requirement)s is committed to other "
                 "teams (%(eligible)s eligible).", km=km,
                 requirement=requirement_text(e.get("requirement", "")),
                 eligible=e.get("eligible", ""))
    if code == "too_few_free":
        return _("Only %(free)s eligible volunteers within %(km)s km have time left (a team "
                 "of %(size)s is needed).", free=e.get("free", ""), km=km,
                 size=e.get("team_size", ""))
    if code == "team_committed_elsewhere":
        return _("The volunteers within %(km)s km who could form the team are committed to "
                 "other teams; one more recruit nearby would open it.", km=km)
    return _("Left open by the matching rules (reason %(code)s).", code=code or "-")


def recruitment_text(proposal: dict, place: str) -> str:
    """§8.34: a profile, never a person, with how many households it would staff."""
    offers = []
    if proposal.get("social_worker"):
        offers.append(_("certified social workers"))
    languages = [code for code in proposal.get("languages", ()) if code != "zh"]
    if languages:
        offers.append(_("speaking %(languages)s",
                        languages=_join(LANGUAGES.get(c, c) for c in languages)))
    if proposal.get("skills"):
        offers.append(_("who offer %(skills)s",
                        skills=_join(SKILLS.get(c, c) for c in proposal["skills"])))
    profile = "，".join(str(o) for o in offers) or _("with a few hours a week")
    staffed = len(proposal.get("staffed", ()))
    return ngettext(
        "%(num)d more volunteer %(profile)s near %(place)s (%(hours)s h a week) would staff "
        "%(staffed)d households",
        "%(num)d more volunteers %(profile)s near %(place)s (%(hours)s h a week) would staff "
        "%(staffed)d households",
        proposal.get("count", 0), profile=profile, place=place,
        hours=proposal.get("hours_per_week", ""), staffed=staffed)


RUN_STATE = {
    "queued": _l("queued"), "running": _l("running"), "succeeded": _l("finished"),
    "failed": _l("failed"), "cancelled": _l("cancelled"), "applied": _l("offered"),
    "discarded": _l("set aside"),
}
PROPOSAL_STATE = {
    "pending": _l("to review"), "rejected": _l("rejected"), "offered": _l("offered"),
    "accepted": _l("accepted"), "declined": _l("declined"), "expired": _l("expired"),
    "stale": _l("out of date"),
}
MEMBER_STATE = {
    "pending": _l("waiting for an answer"), "accepted": _l("accepted"),
    "declined": _l("declined"), "expired": _l("expired"),
}
PHASE = {
    "snapshot": _l("taking the snapshot"), "preparing": _l("finding eligible volunteers"),
    "bound": _l("proving the bound"), "components": _l("solving"), "lns": _l("improving"),
    "done": _l("done"), "shortfall": _l("recruitment targets"), "saving": _l("saving"),
    "failed": _l("failed"), "cancelled": _l("cancelled"), "queued": _l("queued"),
    "running": _l("running"), "succeeded": _l("finished"),
}
