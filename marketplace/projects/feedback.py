"""After a shift: the volunteer rates it, the organizer rates the attendance (评价), and the
organization records beneficiaries' satisfaction follow-ups (回访, §8.12). Services flush."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.clock import utcnow
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.projects.models import (
    Feedback,
    FeedbackRole,
    FollowUp,
    FollowUpAnswer,
    FollowUpChannel,
    Shift,
    ShiftState,
    SignUp,
    SignUpState,
)
from marketplace.projects.text import clean_text

RATED_BY_VOLUNTEER = (SignUpState.ATTENDED,)
RATED_BY_ORGANIZER = (SignUpState.ATTENDED, SignUpState.NO_SHOW)


def given(entry: SignUp, role: FeedbackRole) -> Feedback | None:
    return db.session.scalar(
        select(Feedback).where(Feedback.sign_up_id == entry.id, Feedback.role == role)
    )


def _rating_open(entry: SignUp, role: FeedbackRole, now) -> bool:
    states = RATED_BY_VOLUNTEER if role == FeedbackRole.VOLUNTEER else RATED_BY_ORGANIZER
    return entry.state in states and entry.shift.ends_at <= now


def rateable(entries: list[SignUp], role: FeedbackRole) -> set[int]:
    """The ids of ``entries`` that ``role`` may rate now (over, not yet rated by that side),
    in one statement."""
    now = utcnow()
    ended = {e.id for e in entries if _rating_open(e, role, now)}
    if not ended:
        return set()
    rated = set(db.session.scalars(select(Feedback.sign_up_id).where(
        Feedback.sign_up_id.in_(ended), Feedback.role == role)))
    return ended - rated


def rate(user, entry: SignUp, role: FeedbackRole, rating: int | None, comment: str) -> Feedback:
    """One rating per side; scope (own sign-up, or the organization's staff) is the view's."""
    if given(entry, role) is not None:
        raise DomainError("rating", _("You have already rated this."))
    if not _rating_open(entry, role, utcnow()):
        raise DomainError("rating", _("Ratings open once the shift is over."))
    if rating is None or not 1 <= rating <= 5:
        raise DomainError("rating", _("Choose from 1 to 5 stars."))
    feedback = Feedback(sign_up_id=entry.id, role=role, rating=rating, author_id=user.id,
                        comment=clean_text("comment", comment, max_length=1000,
                                           multiline=True))
    db.session.add(feedback)
    db.session.flush()
    return feedback


@dataclass
class FollowUpData:
    asked_person: str
    channel: str
    answer: str
    independent: bool = False
    note: str = ""


def record_follow_up(user, shift: Shift, data: FollowUpData) -> FollowUp:
    if shift.state != ShiftState.HELD:
        raise DomainError(None, _("Follow-ups are recorded for shifts that were held."))
    try:
        channel = FollowUpChannel(data.channel)
    except ValueError:
        raise DomainError("channel", _("Choose how the person was asked.")) from None
    try:
        answer = FollowUpAnswer(data.answer)
    except ValueError:
        raise DomainError("answer", _("Choose the answer.")) from None
    follow_up = FollowUp(
        organization_id=shift.project.organization_id,
        shift_id=shift.id,
        asked_person=clean_text("asked_person", data.asked_person, max_length=100,
                                required=True),
        asked_by_id=user.id,
        channel=channel,
        answer=answer,
        independent=bool(data.independent),
        note=clean_text("note", data.note, max_length=1000, multiline=True),
    )
    db.session.add(follow_up)
    db.session.flush()
    return follow_up


def follow_ups_of(shift: Shift) -> list[FollowUp]:
    return list(db.session.scalars(
        select(FollowUp).where(FollowUp.shift_id == shift.id).order_by(FollowUp.id)
    ))
