"""Each volunteer's private calendar feed (§8.36): their confirmed shifts as iCalendar
(RFC 5545), at a secret address they can rotate. Written by hand: a dozen lines of text."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.projects.models import CalendarFeed, Shift, SignUp, SignUpState
from marketplace.volunteers.models import VolunteerProfile

PRODUCT_ID = "-//Gongzhi//Volunteer shifts//ZH"


def feed_of(profile: VolunteerProfile) -> CalendarFeed:
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.volunteer_id == profile.id))
    if feed is None:
        feed = CalendarFeed(volunteer_id=profile.id, token=secrets.token_urlsafe(32))
        db.session.add(feed)
        db.session.flush()
    return feed


def rotate(profile: VolunteerProfile) -> CalendarFeed:
    """A new secret: the old address stops working at once."""
    feed = feed_of(profile)
    feed.token = secrets.token_urlsafe(32)
    feed.rotated_at = utcnow()
    db.session.flush()
    return feed


def profile_for_token(token: str) -> VolunteerProfile | None:
    if not token or len(token) > 64:
        return None
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token == token))
    return db.session.get(VolunteerProfile, feed.volunteer_id) if feed else None


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (
        value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (§3.1), never
    splitting a UTF-8 character."""
    out, current = [], b""
    for ch in line:
        encoded = ch.encode("utf-8")
        limit = 75 if not out else 74  # continuation lines start with a space
        if len(current) + len(encoded) > limit:
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def _utc(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def confirmed_shifts(profile: VolunteerProfile) -> list[Shift]:
    return list(db.session.scalars(
        select(Shift).join(SignUp, SignUp.shift_id == Shift.id)
        .where(SignUp.volunteer_id == profile.id, SignUp.state == SignUpState.CONFIRMED)
        .order_by(Shift.starts_at)
    ))


def render(profile: VolunteerProfile, host: str, calendar_name: str) -> str:
    now = _utc(utcnow())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(calendar_name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    for shift in confirmed_shifts(profile):
        place = " ".join(p for p in (shift.community.name, shift.address) if p)
        lines += [
            "BEGIN:VEVENT",
            f"UID:shift-{shift.id}-volunteer-{profile.id}@{host}",
            f"DTSTAMP:{now}",
            f"DTSTART:{_utc(shift.starts_at)}",
            f"DTEND:{_utc(shift.ends_at)}",
            f"SUMMARY:{escape_text(shift.project.title)}",
            f"LOCATION:{escape_text(place)}",
            f"DESCRIPTION:{escape_text(shift.project.organization.name)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
