"""Named points where one domain contributes to a page or document another domain owns.

``create_app`` lists, per point, the dotted ``module:attribute`` of every contribution (as it
lists blueprints), so what a page gathers is readable in one place and nothing is found by
import side effect. The points:

``home_cards``       ``provider(user) -> list[HomeAction]``: what the user can do now (home page)
``org_panels``       ``provider(viewer, org) -> OrgPanel | None``: a panel on the organization page
``export_sections``  ``provider(user) -> dict[str, object]``: sections of the own-data download
``profile_panels``   ``provider(viewer, profile) -> OrgPanel | None``: a panel on a volunteer's
                     profile page (the same panel shape as the organization page's)
``revealable``       a ``privacy.registry.RevealableKind``: a kind of personal data staff may reveal
``directory_facts``  ``provider(org_ids) -> dict[int, str]``: a short fact per organization on
                     the directory's cards (e.g. "3 teams")
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module

from flask import Flask, current_app
from marshmallow import RAISE, Schema

POINTS = ("home_cards", "org_panels", "export_sections", "profile_panels", "revealable",
          "directory_facts")
_EXTENSION = "gongzhi.contributions"


@dataclass(frozen=True)
class OrgPanel:
    """One section of the organization page: a template fragment and what it renders."""

    title: str
    template: str
    context: dict = field(default_factory=dict)


class ExportSchema(Schema):
    """Base of every schema an ``export_sections`` provider dumps with: fields in order, and
    nothing unknown let through."""

    class Meta:
        unknown = RAISE
        ordered = True


def _resolve(path: str):
    module, _, attribute = path.partition(":")
    return getattr(import_module(module), attribute)


def install(app: Flask, contributions: dict[str, list[str]]) -> None:
    unknown = set(contributions) - set(POINTS)
    if unknown:
        raise ValueError(f"unknown contribution points: {sorted(unknown)}")
    app.extensions[_EXTENSION] = {
        point: tuple(_resolve(path) for path in contributions.get(point, ()))
        for point in POINTS
    }


def contributed(point: str, app: Flask | None = None) -> tuple:
    """Everything contributed to ``point``, in the order ``create_app`` lists it."""
    return (app or current_app).extensions[_EXTENSION][point]
