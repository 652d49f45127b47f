from __future__ import annotations

from flask import Blueprint, render_template

from marketplace.auth.access import public

bp = Blueprint("home", __name__)


@bp.get("/")
@public
def index():
    return render_template("home/index.html")
