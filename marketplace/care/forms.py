from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from marketplace.bounds import form_id
from marketplace.care import labels
from marketplace.care.models import HouseholdFlag
from marketplace.care.services.health_notes import HealthNoteInput
from marketplace.care.services.households import HouseholdInput, PersonInput
from marketplace.care.services.living import FollowUpInput, VisitInput
from marketplace.care.services.requests import RequestInput
from marketplace.projects.models import FollowUpAnswer, FollowUpChannel
from marketplace.text import CleanText
from marketplace.volunteers.codes import LANGUAGES, SKILLS, SLOTS, slot_label

PERSON_ROWS = 2
_NUMBER = _l("Enter a number.")


def _text(label, max_length, required=False, **kwargs):
    return StringField(label, validators=[Length(max=max_length), CleanText(required=required)],
                       render_kw={"maxlength": max_length}, **kwargs)


def _lines(label, max_length, **kwargs):
    return TextAreaField(
        label, validators=[Length(max=max_length), CleanText(multiline=True)],
        render_kw={"maxlength": max_length}, **kwargs,
    )


class _Codes:
    """Needs, languages and half-days in the engine's codes."""

    needs = SelectMultipleField(_l("Needs"), choices=list(SKILLS.items()))
    languages = SelectMultipleField(_l("Languages spoken"), choices=list(LANGUAGES.items()))
    slots = SelectMultipleField(_l("Preferred half-days"),
                                description=_l("Tap every half-day a visit suits."))
    hours_per_week = FloatField(_l("Hours a week"), default=2, validators=[Optional()],
                                render_kw={"step": 0.5, "inputmode": "decimal"})
    visits_per_week = IntegerField(_l("Visits a week"), default=1, validators=[Optional()],
                                   render_kw={"inputmode": "numeric"})


class HouseholdForm(_Codes, FlaskForm):
    community_id = SelectField(_l("Community"), coerce=form_id, validate_choice=False,
                               invalid_value_message=_l("Choose the household's community."))
    grid_id = SelectField(_l("Grid"), coerce=form_id, validate_choice=False,
                          invalid_value_message=_l("Choose one of the community's grids."))
    address = _text(_l("Address"), 200, required=True,
                    description=_l("Shown to the household's social workers and its team."))
    lat = FloatField(_l("Latitude"), validators=[Optional()], render_kw={"step": "any"})
    lon = FloatField(_l("Longitude"), validators=[Optional()], render_kw={"step": "any"})
    living_situation = _lines(_l("Living situation"), 1000,
                              description=_l("No health details here: they go in the health "
                                             "notes, with their own consent."))
    flags = SelectMultipleField(_l("Priority flags"))
    priority_override = SelectField(
        _l("Priority"), coerce=form_id, validate_choice=False,
        description=_l("Leave it to follow the flags, or set it with a reason."),
    )
    priority_reason = _text(_l("Reason for the priority"), 200)

    def __init__(self, communities, grids, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots.choices = [(code, slot_label(code)) for code in SLOTS]
        self.flags.choices = [(flag.value, labels.FLAG[flag]) for flag in HouseholdFlag]
        self.priority_override.choices = [("", _l("From the flags"))] + [
            (n, str(n)) for n in range(1, 6)
        ]
        self.community_id.choices = [("", _l("Choose…"))] + [
            (c.id, f"{c.street.name} · {c.name}") for c in communities
        ]
        self.grid_id.choices = [("", _l("Not sure"))] + [
            (g.id, f"{g.community.name} · {g.name}", {"data-community": str(g.community_id)})
            for g in grids
        ]

    def person_rows(self):
        return [tuple(getattr(self, f"person_{part}_{i}")
                      for part in ("name", "relation", "birth_year", "phone"))
                for i in range(PERSON_ROWS)]

    def fill_from(self, household) -> None:
        self.community_id.data = household.community_id
        self.grid_id.data = household.grid_id
        self.address.data = household.address
        self.lat.data, self.lon.data = household.lat, household.lon
        self.living_situation.data = household.living_situation
        self.flags.data = list(household.flags)
        self.priority_override.data = household.priority_override
        self.priority_reason.data = household.priority_reason or ""
        self.needs.data = list(household.needs)
        self.languages.data = list(household.languages)
        self.slots.data = list(household.slots)
        self.hours_per_week.data = household.hours_per_week
        self.visits_per_week.data = household.visits_per_week
        for index, person in enumerate(household.persons[:PERSON_ROWS]):
            getattr(self, f"person_name_{index}").data = person.name
            getattr(self, f"person_relation_{index}").data = person.relation
            getattr(self, f"person_birth_year_{index}").data = person.birth_year
            # The phone stays masked even here: left empty, the saved number is kept.
            phone = getattr(self, f"person_phone_{index}")
            phone.data = ""
            if person.phone:
                phone.render_kw = {**(phone.render_kw or {}), "placeholder": person.masked_phone}

    def to_input(self, keep_phones: bool = False) -> HouseholdInput:
        """``keep_phones``: an empty phone keeps the saved one (editing)."""
        def phone(i):
            typed = (getattr(self, f"person_phone_{i}").data or "").strip()
            return None if keep_phones and not typed else typed

        return HouseholdInput(
            community_id=self.community_id.data, grid_id=self.grid_id.data,
            lat=self.lat.data, lon=self.lon.data, address=self.address.data or "",
            living_situation=self.living_situation.data or "", flags=self.flags.data or [],
            priority_override=self.priority_override.data,
            priority_reason=self.priority_reason.data or "", needs=self.needs.data or [],
            languages=self.languages.data or [], slots=self.slots.data or [],
            hours_per_week=self.hours_per_week.data, visits_per_week=self.visits_per_week.data,
            persons=[
                PersonInput(
                    name=getattr(self, f"person_name_{i}").data or "",
                    relation=getattr(self, f"person_relation_{i}").data or "",
                    birth_year=getattr(self, f"person_birth_year_{i}").data,
                    phone=phone(i),
                )
                for i in range(PERSON_ROWS)
            ],
        )


for _index in range(PERSON_ROWS):
    setattr(HouseholdForm, f"person_name_{_index}", _text(_l("Name"), 50))
    setattr(HouseholdForm, f"person_relation_{_index}", _text(
        _l("Relation"), 20, description=_l("e.g. 本人, 配偶")))
    setattr(HouseholdForm, f"person_birth_year_{_index}", IntegerField(
        _l("Year of birth"), validators=[Optional()], render_kw={"inputmode": "numeric"}))
    setattr(HouseholdForm, f"person_phone_{_index}", StringField(
        _l("Mobile phone"), validators=[Length(max=20), CleanText()],
        render_kw={"inputmode": "tel", "maxlength": 20, "autocomplete": "off"}))


class HealthNoteForm(FlaskForm):
    text = _lines(_l("Health notes"), 2000)
    consent = BooleanField(_l("The person (or their guardian) gave separate consent to "
                              "record health notes, after reading the consent text"))
    given_by = RadioField(_l("Consent given by"), default="person",
                          choices=[("person", _l("The person")),
                                   ("guardian", _l("A guardian"))])
    guardian_name = _text(_l("Guardian's name"), 50)
    guardian_relation = _text(_l("Guardian is the person's"), 20)

    def to_input(self) -> HealthNoteInput:
        return HealthNoteInput(
            text=self.text.data or "", consent=bool(self.consent.data),
            given_by=self.given_by.data or "", guardian_name=self.guardian_name.data or "",
            guardian_relation=self.guardian_relation.data or "",
        )


class RequestForm(FlaskForm):
    team_size = RadioField(_l("Kind of request"), coerce=form_id, default=3,
                           choices=[(3, _l("311 team of three")), (1, _l("Single task"))])
    title = _text(_l("Task"), 100, description=_l("For a single task: repair, escort, legal aid…"))
    skills = SelectMultipleField(_l("Needs"), choices=list(SKILLS.items()))
    languages = SelectMultipleField(_l("Languages spoken"), choices=list(LANGUAGES.items()))
    needs_social_worker = BooleanField(_l("Needs a certified social worker on the team"))
    slots = SelectMultipleField(_l("Preferred half-days"))
    hours_per_week = FloatField(_l("Hours a week per member"), validators=[Optional()],
                                render_kw={"step": 0.5, "inputmode": "decimal"})
    visits_per_week = IntegerField(_l("Visits a week"), validators=[Optional()],
                                   render_kw={"inputmode": "numeric"})
    priority = SelectField(_l("Priority"), coerce=form_id, validate_choice=False)
    max_km = FloatField(_l("Farthest a member may live (km)"), validators=[Optional()],
                        render_kw={"step": 0.5, "inputmode": "decimal"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots.choices = [(code, slot_label(code)) for code in SLOTS]
        self.priority.choices = [("", _l("The household's"))] + [(n, str(n)) for n in range(1, 6)]

    def fill_from(self, data: RequestInput) -> None:
        self.skills.data = data.skills
        self.languages.data = data.languages
        self.slots.data = data.slots
        self.hours_per_week.data = data.hours_per_week
        self.visits_per_week.data = data.visits_per_week

    def to_input(self) -> RequestInput:
        return RequestInput(
            team_size=self.team_size.data, title=self.title.data or "",
            skills=self.skills.data or [], languages=self.languages.data or [],
            needs_social_worker=bool(self.needs_social_worker.data),
            slots=self.slots.data or [], hours_per_week=self.hours_per_week.data,
            visits_per_week=self.visits_per_week.data, priority=self.priority.data,
            max_km=self.max_km.data,
        )


class VisitForm(FlaskForm):
    visited_on = DateField(_l("Day of the visit"), validators=[Optional()])
    minutes = IntegerField(_l("Minutes"), validators=[Optional()],
                           render_kw={"inputmode": "numeric"})
    contact = BooleanField(_l("Someone was at home and reached"), default=True)
    persons_reached = IntegerField(_l("Persons reached"), default=1, validators=[Optional()],
                                   render_kw={"inputmode": "numeric"})
    note = _lines(_l("Note"), 1000, description=_l("What was done. No health details."))
    volunteer_id = SelectField(_l("Member"), coerce=form_id, validate_choice=False)

    def to_input(self) -> VisitInput:
        return VisitInput(
            visited_on=self.visited_on.data, minutes=self.minutes.data,
            contact=bool(self.contact.data), persons_reached=self.persons_reached.data,
            note=self.note.data or "", volunteer_id=self.volunteer_id.data,
        )


class FollowUpForm(FlaskForm):
    asked_person = _text(_l("Who was asked"), 100, required=True)
    channel = SelectField(_l("How"), choices=[(c.value, labels.CHANNEL[c])
                                             for c in FollowUpChannel])
    answer = SelectField(_l("Answer"), choices=[(a.value, labels.ANSWER[a])
                                               for a in FollowUpAnswer])
    note = _lines(_l("Note"), 1000)

    def to_input(self) -> FollowUpInput:
        return FollowUpInput(asked_person=self.asked_person.data or "",
                             channel=self.channel.data or "", answer=self.answer.data or "",
                             note=self.note.data or "")


class ReasonForm(FlaskForm):
    reason = _text(_l("Reason"), 200, required=True)


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    state = SelectField(_l("Requests"), validate_choice=False)
    grid = SelectField(_l("Grid"), coerce=form_id, validate_choice=False)
    flag = SelectField(_l("Flag"), validate_choice=False)
