from __future__ import annotations

from flask import Blueprint

bp = Blueprint("volunteers", __name__)
