"""Application factory."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from marketplace import config, contributions
from marketplace.api.framework import init_api
from marketplace.bounds import IdConverter
from marketplace.errors import register_error_pages
from marketplace.extensions import csrf, db, limiter, login_manager, migrate
from marketplace.i18n import configure_babel
from marketplace.requestlog import configure_logging
from marketplace.security import SecureCookiesOverHttps, add_security_headers

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Model modules imported so that metadata (create_all, migrations) knows every table.
MODEL_MODULES = [
    "marketplace.auth.models",
    "marketplace.geo.models",
    "marketplace.audit.models",
    "marketplace.orgs.models",
    "marketplace.teams.models",
    "marketplace.volunteers.models",
    "marketplace.privacy.models",
    "marketplace.projects.models",
    "marketplace.notifications.models",
    "marketplace.hours.models",
    "marketplace.care.models",
    "marketplace.care.run_models",
    "marketplace.tracking.models",
    "marketplace.api.models",
]

# Every blueprint of the site, in one readable list; each module exposes ``bp``.
BLUEPRINTS = [
    "marketplace.home.views",
    "marketplace.auth.views",
    "marketplace.geo.views",
    "marketplace.orgs.views",
    "marketplace.teams.views",
    "marketplace.volunteers.views",
    "marketplace.privacy.views",
    "marketplace.audit.views",
    "marketplace.admin.views",
    "marketplace.notifications.views",
    "marketplace.projects.views",
    "marketplace.hours.views",
    "marketplace.care.views",
    "marketplace.care.run_views",
    "marketplace.tracking.views",
    "marketplace.api.views",
]

# The JSON API's resources under /api/v1, each module exposing a flask-smorest ``blp``.
API_RESOURCES = [
    "marketplace.api.orgs",
    "marketplace.api.projects",
    "marketplace.api.teams",
    "marketplace.api.volunteers",
    "marketplace.api.hours",
    "marketplace.api.care",
    "marketplace.api.tracking",
]

# What each domain adds to pages and documents others own (see marketplace.contributions).
CONTRIBUTIONS = {
    "home_cards": [
        "marketplace.auth.views:account_actions",
        "marketplace.orgs.home_actions:orgs_home_actions",
        "marketplace.teams.contributions:teams_home_actions",
        "marketplace.volunteers.views:volunteer_home_actions",
        "marketplace.audit.views:audit_home_actions",
        "marketplace.admin.views:admin_home_actions",
        "marketplace.notifications.views:notifications_home_actions",
        "marketplace.projects.contributions:home_actions",
        "marketplace.hours.contributions:hours_home_actions",
        "marketplace.care.contributions:care_home_actions",
        "marketplace.care.run_contributions:run_home_actions",
        "marketplace.tracking.views:tracking_home_actions",
        "marketplace.api.views:token_home_actions",
    ],
    "org_panels": [
        "marketplace.teams.contributions:teams_panel",
        "marketplace.projects.contributions:open_projects_panel",
        "marketplace.hours.contributions:verified_hours_panel",
        "marketplace.care.contributions:care_overview_panel",
        "marketplace.care.run_contributions:recruitment_panel",
    ],
    "directory_facts": [
        "marketplace.teams.contributions:team_count_facts",
    ],
    "export_sections": [
        "marketplace.auth.export:account_sections",
        "marketplace.volunteers.export:profile_sections",
        "marketplace.privacy.export:consent_sections",
        "marketplace.teams.export:membership_sections",
        "marketplace.projects.contributions:export_section",
        "marketplace.hours.contributions:hours_export",
        "marketplace.care.contributions:care_export",
    ],
    "profile_panels": [
        "marketplace.hours.contributions:star_panel",
    ],
    "revealable": [
        "marketplace.volunteers.revealable:ID_NUMBER",
        "marketplace.volunteers.revealable:PHONE",
        "marketplace.care.revealable:HEALTH_NOTE",
        "marketplace.care.revealable:HOUSEHOLD_PHONES",
    ],
}

# Modules exposing ``register(app)`` that adds click commands to ``flask --app marketplace.app``.
COMMANDS = [
    "marketplace.demo.commands",
    "marketplace.notifications.commands",
    "marketplace.care.commands",
    "marketplace.care.run_commands",
]


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    # Before any route is added: every <int:…> segment of every blueprint is bounded.
    app.url_map.converters["int"] = IdConverter
    config.configure(app, test_config)
    configure_logging(app)
    app.wsgi_app = SecureCookiesOverHttps(app.wsgi_app)
    if app.config["TRUSTED_PROXIES"]:
        proxies = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    for module in MODEL_MODULES:
        import_module(module)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    configure_babel(app)
    # Registers the user loader; the user is loaded first thing in every request.
    app.before_request(import_module("marketplace.auth.sessions").load_session_user)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    add_security_headers(app)
    register_error_pages(app)

    for module in BLUEPRINTS:
        app.register_blueprint(import_module(module).bp)
    init_api(app, API_RESOURCES)
    contributions.install(app, CONTRIBUTIONS)
    for module in COMMANDS:
        import_module(module).register(app)
    import_module("marketplace.templating").register(app)
    return app
