from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import InputRequired
from wtforms.widgets import HiddenInput

from marketplace.bounds import IdField
from marketplace.privacy.registry import kinds
from marketplace.privacy.services import PURPOSE_MAX_LENGTH
from marketplace.text import CleanText


class RevealForm(FlaskForm):
    """Reveal one value of one object; the choices are the kinds contributed for it."""

    kind = RadioField(_l("Reveal"), validate_choice=False)
    object = IdField(validators=[InputRequired()], widget=HiddenInput())
    purpose = StringField(
        _l("Purpose"),
        description=_l("Why you need the full value now. Recorded with your name and the time."),
        # Empty or too short is the service's message (minimum visible length).
        validators=[CleanText()],
        render_kw={"maxlength": PURPOSE_MAX_LENGTH, "autocomplete": "off"},
    )

    def __init__(self, *args, object_type: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k.name, k.label) for k in kinds(object_type).values()]
