from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FloatField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import InputRequired, NumberRange, Optional

from marketplace.bounds import form_id
from marketplace.text import CleanText
from marketplace.volunteers.codes import LANGUAGES, SKILLS, SLOTS, slot_label
from marketplace.volunteers.services import (
    HOURS_RANGE,
    KM_RANGE,
    MAX_TEAMS_RANGE,
    ProfileInput,
)


def _range(bounds):
    low, high = bounds
    return NumberRange(
        min=low, max=high,
        message=_l("Enter a number from %(min)s to %(max)s.", min=f"{low:g}", max=f"{high:g}"),
    )


_NUMBER = _l("Enter a number.")


class ProfileForm(FlaskForm):
    real_name = StringField(
        _l("Real name"),
        description=_l("As on your ID card; Uyghur and Kazakh names with the dot ·, "
                       "e.g. 阿依古丽·买买提."),
        validators=[CleanText()],
        render_kw={"autocomplete": "name", "maxlength": 60},
    )
    id_number = StringField(
        _l("Resident ID number"),
        description=_l("18 characters. Only you see it in full; others see it masked."),
        render_kw={"autocomplete": "off", "inputmode": "text", "maxlength": 22,
                   "spellcheck": "false"},
    )
    community_id = SelectField(
        _l("Home community"), coerce=form_id, validate_choice=False,
        invalid_value_message=_l("Choose the community you live in."),
    )
    grid_id = SelectField(
        _l("Grid (optional)"), coerce=form_id, validate_choice=False,
        invalid_value_message=_l(
            "This grid is not in the community you chose: choose one of its grids."
        ),
        description=_l("The grid of your home, if you know it."),
    )
    location_source = RadioField(
        _l("Home point for matching"),
        choices=[
            ("centre", _l("Use the community centre (or the grid centre)")),
            ("point", _l("Use the point below")),
        ],
        default="centre",
    )
    lat = FloatField(_l("Latitude"), validators=[Optional()], render_kw={"step": "any"})
    lon = FloatField(_l("Longitude"), validators=[Optional()], render_kw={"step": "any"})
    skills = SelectMultipleField(_l("Skills"), choices=list(SKILLS.items()), validate_choice=True)
    languages = SelectMultipleField(
        _l("Languages you speak"), choices=list(LANGUAGES.items()), default=["zh"]
    )
    slots = SelectMultipleField(
        _l("When you are free"),
        description=_l("Tap every half-day you can usually serve."),
    )
    social_worker = BooleanField(_l("I am a certified social worker (持证社工)"))
    sw_certificate_no = StringField(
        _l("Social work certificate number"),
        description=_l("Required for certified social workers."),
        validators=[CleanText()],
        render_kw={"maxlength": 32},
    )
    hours_per_week = FloatField(
        _l("Hours a week"), default=2,
        validators=[InputRequired(_NUMBER), _range(HOURS_RANGE)],
        render_kw={"min": HOURS_RANGE[0], "max": HOURS_RANGE[1], "step": 0.5,
                   "inputmode": "decimal"},
    )
    max_km = FloatField(
        _l("How far you will travel (km)"), default=3,
        validators=[InputRequired(_NUMBER), _range(KM_RANGE)],
        render_kw={"min": KM_RANGE[0], "max": KM_RANGE[1], "step": 0.5, "inputmode": "decimal"},
    )
    max_teams = IntegerField(
        _l("Care teams at most at once"), default=2,
        validators=[InputRequired(_NUMBER), _range(MAX_TEAMS_RANGE)],
        render_kw={"min": MAX_TEAMS_RANGE[0], "max": MAX_TEAMS_RANGE[1], "inputmode": "numeric"},
    )
    automated_matching = BooleanField(
        _l("Include me in automated matching"),
        description=_l("Untick to be left out of computed team proposals; you can still join "
                       "teams by applying or accepting invitations."),
        default=True,
    )
    guardian_consent = BooleanField(
        _l("I am under 18 and my parent or guardian agrees that I take part")
    )
    guardian_name = StringField(
        _l("Guardian's name"), validators=[CleanText()], render_kw={"maxlength": 60}
    )
    guardian_relation = StringField(
        _l("Guardian is my"), description=_l("For example: mother, father, grandmother."),
        validators=[CleanText()], render_kw={"maxlength": 20},
    )
    privacy_consent = BooleanField(_l("I have read the privacy notice and agree to it"))

    def __init__(self, communities, grids, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots.choices = [(code, slot_label(code)) for code in SLOTS]
        self.community_id.choices = [("", _l("Choose…"))] + [
            (c.id, f"{c.street.name} · {c.name}") for c in communities
        ]
        self.grid_id.choices = [("", _l("Not sure"))] + [
            (g.id, f"{g.community.name} · {g.name}", {"data-community": str(g.community_id)})
            for g in grids
        ]

    def fill_from(self, profile) -> None:
        """Show the saved profile (the person's own page: the ID number in full)."""
        self.real_name.data = profile.real_name
        self.id_number.data = profile.id_number
        self.community_id.data = profile.community_id
        self.grid_id.data = profile.grid_id
        centre = profile.grid or profile.community
        at_centre = centre is not None and (profile.lat, profile.lon) == (centre.lat, centre.lon)
        self.location_source.data = "centre" if at_centre else "point"
        self.lat.data, self.lon.data = profile.lat, profile.lon
        self.skills.data = list(profile.skills or [])
        self.languages.data = list(profile.languages or [])
        self.slots.data = list(profile.slots or [])
        self.social_worker.data = profile.social_worker
        self.sw_certificate_no.data = profile.sw_certificate_no or ""
        self.hours_per_week.data = profile.hours_per_week
        self.max_km.data = profile.max_km
        self.max_teams.data = profile.max_teams
        self.automated_matching.data = profile.automated_matching

    def to_input(self) -> ProfileInput:
        return ProfileInput(
            real_name=self.real_name.data or "",
            id_number=self.id_number.data or "",
            community_id=self.community_id.data,
            grid_id=self.grid_id.data,
            use_community_centre=self.location_source.data != "point",
            lat=self.lat.data,
            lon=self.lon.data,
            skills=self.skills.data or [],
            languages=self.languages.data or [],
            slots=self.slots.data or [],
            social_worker=bool(self.social_worker.data),
            sw_certificate_no=self.sw_certificate_no.data or "",
            hours_per_week=self.hours_per_week.data,
            max_km=self.max_km.data,
            max_teams=self.max_teams.data,
            automated_matching=bool(self.automated_matching.data),
            privacy_consent=bool(self.privacy_consent.data),
            guardian_consent=bool(self.guardian_consent.data),
            guardian_name=self.guardian_name.data or "",
            guardian_relation=self.guardian_relation.data or "",
        )
