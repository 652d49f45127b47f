from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SearchField
from wtforms.validators import Length, Optional


class AccountSearchForm(FlaskForm):
    """Posted, not sent in the query string, so a searched phone stays out of URLs and logs."""

    q = SearchField(_l("Display name or phone"), validators=[Optional(), Length(max=50)])
