"""Review of a run's proposals: offer (per team or all), volunteers accept or decline, offers
expire after 7 days, stale proposals are refused (domain §4, §8.8–8.10).

No one is assigned without accepting (志愿服务条例 art. 25): offering creates offers, and the
living team is formed (``form_team``) only once every member accepted. Each state change is a
conditional UPDATE with a row count, so a double submit changes state once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy import select, update

from marketplace.auth.models import Role
from marketplace.auth.scopes import acts_for, organization_ids
from marketplace.care import adapter, runs
from marketplace.care.models import CareRequest, CareRequestState
from marketplace.care.run_models import (
    DeclinedPair,
    MatchingRun,
    MatchingRunState,
    MemberState,
    ProposalMember,
    ProposalState,
    TeamProposal,
)
from marketplace.care.services.living import form_team
from marketplace.care.services.requests import move
from marketplace.clock import utcnow
from marketplace.errors import DomainError, OutOfScope
from marketplace.extensions import db
from marketplace.notifications.services import notify
from marketplace.volunteers.models import VolunteerProfile

OFFER_VALID = timedelta(days=7)
OFFERS_PATH = "/care/offers"  # the offers page, for notifications sent outside a request


class StaleProposals(DomainError):
    """Proposals whose households or volunteers changed since the snapshot; they were marked
    stale, nothing was offered. The view commits the marks and shows the message."""


def _guarded(statement) -> int:
    return db.session.execute(statement.execution_options(synchronize_session=False)).rowcount


def reviews(user, proposal: TeamProposal) -> bool:
    """Proposals are reviewed by the household's own organization's social workers (§8.11)."""
    return acts_for(user, proposal.organization_id, Role.SOCIAL_WORKER)


def get_proposal(user, proposal_id: int) -> TeamProposal:
    proposal = db.session.get(TeamProposal, proposal_id)
    if proposal is None or not reviews(user, proposal):
        raise OutOfScope()
    return proposal


def reviewable(user, run: MatchingRun) -> list[TeamProposal]:
    orgs = organization_ids(user, Role.SOCIAL_WORKER)
    return [p for p in run.proposals if p.organization_id in orgs]


@dataclass(frozen=True)
class RunActions:
    """What the viewer may do on a run's page now; the page shows these."""

    cancel: bool
    download_problem: bool
    offer_all: bool
    offerable: frozenset[int]  # proposal ids that may be offered or rejected one by one
    discard: bool
    recruit: bool


def run_actions(user, run: MatchingRun, proposals: list[TeamProposal]) -> RunActions:
    """``proposals``: those ``user`` reviews (``reviewable``; none in an official's view)."""
    succeeded = run.state == MatchingRunState.SUCCEEDED
    pending = frozenset(p.id for p in proposals if p.state == ProposalState.PENDING)
    return RunActions(
        cancel=run.live and run.started_by_id == user.id,
        download_problem=runs.may_download_problem(user, run),
        offer_all=succeeded and bool(pending),
        offerable=pending if succeeded else frozenset(),
        discard=succeeded and bool(proposals) and run.organization_id is not None,
        recruit=run.organization_id is not None
        and run.organization_id in organization_ids(user))


# --- expiry and staleness ------------------------------------------------------------------

def expire_offers(now=None) -> int:
    """Offers unanswered for 7 days expire; their requests reopen, and those who accepted
    are the next run's current team (§8.9)."""
    now = now or utcnow()
    due = list(db.session.scalars(select(TeamProposal).where(
        TeamProposal.state == ProposalState.OFFERED, TeamProposal.expires_at < now)))
    expired = 0
    for proposal in due:
        if not _guarded(update(TeamProposal).where(TeamProposal.id == proposal.id,
                                                   TeamProposal.state == ProposalState.OFFERED)
                        .values(state=ProposalState.EXPIRED, decided_at=now)):
            continue
        _guarded(update(ProposalMember).where(ProposalMember.proposal_id == proposal.id,
                                              ProposalMember.state == MemberState.PENDING)
                 .values(state=MemberState.EXPIRED, responded_at=now))
        db.session.expire(proposal)
        request = db.session.get(CareRequest, proposal.care_request_id)
        if request.state == CareRequestState.PROPOSED:
            move(request, CareRequestState.OPEN, reason="offer_expired")
        expired += 1
    return expired


def stale_proposals(run: MatchingRun, proposals) -> list[TeamProposal]:
    """Those whose request is no longer open, or whose household, request or volunteers
    changed since the run's snapshot (or left automated matching)."""
    keys = {adapter.request_key(p.care_request_id) for p in proposals}
    keys |= {adapter.volunteer_key(m.volunteer_id) for p in proposals for m in p.members}
    now = adapter.current_stamps(keys)
    stale = []
    for proposal in proposals:
        request = db.session.get(CareRequest, proposal.care_request_id)
        mine = [adapter.request_key(proposal.care_request_id)] + [
            adapter.volunteer_key(m.volunteer_id) for m in proposal.members]
        if request.state != CareRequestState.OPEN or any(
                key not in now or now[key] != run.snapshot.get(key) for key in mine):
            stale.append(proposal)
    return stale


def _refuse_stale(stale: list[TeamProposal]) -> None:
    for proposal in stale:
        _guarded(update(TeamProposal).where(
            TeamProposal.id == proposal.id,
            TeamProposal.state.in_((ProposalState.PENDING, ProposalState.OFFERED)))
            .values(state=ProposalState.STALE, decided_at=utcnow()))
    raise StaleProposals(None, _(
        "%(count)d proposed team(s) were not offered: the household, its request or a "
        "volunteer changed since this run took its snapshot. Nothing was offered; start a new "
        "run for them, or offer the other teams.", count=len(stale)))


# --- offering ------------------------------------------------------------------------------

def _offer_one(actor, proposal: TeamProposal, now) -> None:
    if not _guarded(update(TeamProposal).where(TeamProposal.id == proposal.id,
                                               TeamProposal.state == ProposalState.PENDING)
                    .values(state=ProposalState.OFFERED, offered_at=now,
                            offered_by_id=getattr(actor, "id", None),
                            expires_at=now + OFFER_VALID)):
        raise DomainError(None, _("This team has already been offered or decided."))
    db.session.expire(proposal)
    request = db.session.get(CareRequest, proposal.care_request_id)
    move(request, CareRequestState.PROPOSED, actor=actor)
    waiting = [m for m in proposal.members if m.state == MemberState.PENDING]
    if not waiting:  # every member serves it already
        _complete(actor, proposal)
        return
    for member in waiting:
        profile = db.session.get(VolunteerProfile, member.volunteer_id)
        notify(profile.user_id, "care.offered",
               {"place": request.household.community.name,
                "expires_at": (now + OFFER_VALID).isoformat(timespec="seconds")},
               url=url_for("care_runs.offers") if has_request_context() else OFFERS_PATH,
               dedupe_key=f"care-offer-{proposal.id}-{member.volunteer_id}")


def offer(actor, proposal: TeamProposal) -> None:
    """Offer one proposed team to its volunteers."""
    if not reviews(actor, proposal):
        raise OutOfScope()
    if proposal.run.state != MatchingRunState.SUCCEEDED:
        raise DomainError(None, _("This run's proposals can no longer be offered."))
    if proposal.state != ProposalState.PENDING:
        raise DomainError(None, _("This team has already been offered or decided."))
    stale = stale_proposals(proposal.run, [proposal])
    if stale:
        _refuse_stale(stale)
    _offer_one(actor, proposal, utcnow())


def offer_all(actor, run: MatchingRun, *, as_system: bool = False) -> int:
    """Apply: offer every pending proposal the actor reviews (every one, from the command
    line) in one transaction; refuse all if any went stale. The run is applied once none is
    left pending."""
    if run.state != MatchingRunState.SUCCEEDED:
        raise DomainError(None, _("Only a finished run that was not applied or discarded can "
                                  "be applied."))
    proposals = [p for p in (run.proposals if as_system else reviewable(actor, run))
                 if p.state == ProposalState.PENDING]
    if not proposals:
        raise DomainError(None, _("There is no proposed team left to offer."))
    stale = stale_proposals(run, proposals)
    if stale:
        _refuse_stale(stale)
    now = utcnow()
    for proposal in proposals:
        _offer_one(None if as_system else actor, proposal, now)
    db.session.flush()
    if not any(p.state == ProposalState.PENDING for p in run.proposals):
        _guarded(update(MatchingRun).where(MatchingRun.id == run.id,
                                           MatchingRun.state == MatchingRunState.SUCCEEDED)
                 .values(state=MatchingRunState.APPLIED, decided_at=now,
                         decided_by_id=getattr(actor, "id", None)))
        db.session.expire(run)
    return len(proposals)


def reject(actor, proposal: TeamProposal) -> None:
    if not reviews(actor, proposal):
        raise OutOfScope()
    if not _guarded(update(TeamProposal).where(TeamProposal.id == proposal.id,
                                               TeamProposal.state == ProposalState.PENDING)
                    .values(state=ProposalState.REJECTED, decided_at=utcnow())):
        raise DomainError(None, _("This team has already been offered or decided."))


def discard(actor, run: MatchingRun) -> None:
    """The reviewing social worker sets a finished run of their organization aside; nothing
    of it is offered. An official's run is reviewed proposal by proposal instead (§8.11)."""
    if run.organization_id is None or not acts_for(actor, run.organization_id,
                                                   Role.SOCIAL_WORKER):
        raise OutOfScope()
    if not _guarded(update(MatchingRun).where(MatchingRun.id == run.id,
                                              MatchingRun.state == MatchingRunState.SUCCEEDED)
                    .values(state=MatchingRunState.DISCARDED, decided_at=utcnow(),
                            decided_by_id=actor.id)):
        raise DomainError(None, _("Only a finished run that was not applied or discarded can "
                                  "be discarded."))
    _guarded(update(TeamProposal).where(TeamProposal.run_id == run.id,
                                        TeamProposal.state == ProposalState.PENDING)
             .values(state=ProposalState.REJECTED, decided_at=utcnow()))
    db.session.expire(run)


# --- the volunteer's answer ----------------------------------------------------------------

def my_member(user, member_id: int) -> ProposalMember:
    member = db.session.get(ProposalMember, member_id)
    profile = db.session.scalar(select(VolunteerProfile).where(
        VolunteerProfile.user_id == user.id))
    if member is None or profile is None or member.volunteer_id != profile.id:
        raise OutOfScope()
    return member


def my_offers(user) -> list[ProposalMember]:
    profile = db.session.scalar(select(VolunteerProfile).where(
        VolunteerProfile.user_id == user.id))
    if profile is None:
        return []
    return list(db.session.scalars(
        select(ProposalMember).join(TeamProposal)
        .where(ProposalMember.volunteer_id == profile.id,
               TeamProposal.state == ProposalState.OFFERED,
               ProposalMember.state == MemberState.PENDING)
        .order_by(TeamProposal.offered_at.desc())))


def _lock_offered(proposal_id: int) -> None:
    # A no-op write on the proposal row serialises the answers of one team on both engines,
    # so the last of two simultaneous acceptances sees the other and forms the team.
    if not _guarded(update(TeamProposal).where(TeamProposal.id == proposal_id,
                                               TeamProposal.state == ProposalState.OFFERED)
                    .values(state=ProposalState.OFFERED)):
        raise DomainError(None, _("This offer is no longer open."))


def _complete(actor, proposal: TeamProposal) -> None:
    if not _guarded(update(TeamProposal).where(TeamProposal.id == proposal.id,
                                               TeamProposal.state == ProposalState.OFFERED)
                    .values(state=ProposalState.ACCEPTED, decided_at=utcnow())):
        return
    db.session.expire(proposal)
    request = db.session.get(CareRequest, proposal.care_request_id)
    form_team(request, [m.volunteer_id for m in proposal.members], actor=actor)


def accept(user, member: ProposalMember) -> None:
    expire_offers()
    _lock_offered(member.proposal_id)
    if not _guarded(update(ProposalMember).where(ProposalMember.id == member.id,
                                                 ProposalMember.state == MemberState.PENDING)
                    .values(state=MemberState.ACCEPTED, responded_at=utcnow())):
        raise DomainError(None, _("You have already answered this offer."))
    proposal = db.session.get(TeamProposal, member.proposal_id)
    db.session.expire(proposal)
    states = db.session.scalars(select(ProposalMember.state).where(
        ProposalMember.proposal_id == proposal.id)).all()
    if all(state == MemberState.ACCEPTED for state in states):
        _complete(user, proposal)


def decline(user, member: ProposalMember) -> None:
    """The volunteer declines: the pair is never proposed again, the offer ends, and the
    request reopens with those who accepted as its next current team."""
    expire_offers()
    _lock_offered(member.proposal_id)
    now = utcnow()
    if not _guarded(update(ProposalMember).where(ProposalMember.id == member.id,
                                                 ProposalMember.state == MemberState.PENDING)
                    .values(state=MemberState.DECLINED, responded_at=now)):
        raise DomainError(None, _("You have already answered this offer."))
    proposal = db.session.get(TeamProposal, member.proposal_id)
    _guarded(update(TeamProposal).where(TeamProposal.id == proposal.id)
             .values(state=ProposalState.DECLINED, decided_at=now))
    _guarded(update(ProposalMember).where(ProposalMember.proposal_id == proposal.id,
                                          ProposalMember.state == MemberState.PENDING)
             .values(state=MemberState.EXPIRED, responded_at=now))
    exists = db.session.scalar(select(DeclinedPair.id).where(
        DeclinedPair.household_id == proposal.household_id,
        DeclinedPair.volunteer_id == member.volunteer_id))
    if exists is None:
        db.session.add(DeclinedPair(household_id=proposal.household_id,
                                    volunteer_id=member.volunteer_id))
    db.session.expire(proposal)
    request = db.session.get(CareRequest, proposal.care_request_id)
    if request.state == CareRequestState.PROPOSED:
        move(request, CareRequestState.OPEN, actor=user, reason="offer_declined")
    db.session.flush()
