"""``flask --app marketplace.app seed-demo [--scale small|district] [--if-empty]``.

Builds the demo district: geography here, then each domain's seeder in the agreed order
then one account per role with a known password,
printed and written to ``instance/demo-accounts.json``.
"""

from __future__ import annotations

import json
import random
import time
from importlib import import_module
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import func, inspect, select, text

from marketplace.auth.models import Role, RoleGrant, User
from marketplace.auth.passwords import hash_password
from marketplace.demo.context import SCALES, DemoAccount, DemoContext
from marketplace.demo.geography import seed_geography
from marketplace.demo.names import person_name
from marketplace.extensions import db
from marketplace.geo.models import District

# One seed, so two runs build the same district.
RANDOM_SEED = 650203

# Domain seeders, in order: (module, function). Each takes the DemoContext.
DOMAIN_SEEDERS = (
    ("marketplace.orgs.demo", "seed_organizations"),
    ("marketplace.volunteers.demo", "seed_volunteers"),
    ("marketplace.teams.demo", "seed_teams"),
    ("marketplace.projects.demo", "seed_projects"),
    ("marketplace.hours.demo", "seed_hours"),
    ("marketplace.care.demo", "seed_households"),
    ("marketplace.tracking.demo", "seed_contracts"),
)

# Every seeded volunteer shares this password, hashed once (see DemoContext).
VOLUNTEER_PASSWORD = "volunteer-demo-2026"

# (role, phone, password, scope) of the role accounts; 199 numbers stay clear of the
# volunteers' generated numbers.
ROLE_ACCOUNTS = (
    (Role.VOLUNTEER, "19900000001", VOLUNTEER_PASSWORD, None),
    (Role.SOCIAL_WORKER, "19900000002", "socialworker-demo-2026", "organization"),
    (Role.ORG_ADMIN, "19900000003", "orgadmin-demo-2026", "organization"),
    (Role.OFFICIAL, "19900000004", "official-district-2026", "district"),
    (Role.OFFICIAL, "19900000005", "official-street-2026", "street"),
    (Role.PLATFORM_ADMIN, "19900000006", "platformadmin-demo-2026", None),
)


class SeedError(click.ClickException):
    pass


def has_district() -> bool:
    return db.session.scalar(select(func.count()).select_from(District)) > 0


def seed(scale: str) -> tuple[DemoContext, list[str], list[str]]:
    """Build the whole demo district in the current session; the caller commits.

    Returns the context, the domain seeders that ran and where each demo account works.
    """
    ctx = DemoContext(scale=scale, rng=random.Random(RANDOM_SEED))
    ctx.shared_password_hash = hash_password(VOLUNTEER_PASSWORD)
    seed_geography(ctx)
    ran = []
    for module_name, function_name in DOMAIN_SEEDERS:
        getattr(import_module(module_name), function_name)(ctx)
        db.session.flush()
        ran.append(f"{module_name}.{function_name}")
    places = seed_role_accounts(ctx)
    db.session.flush()
    return ctx, ran, places


def _approved_organization(ctx: DemoContext):
    """The organization the demo social worker and org admin work for: an approved social
    work agency (民办非企业) if there is one, else any approved organization except a
    residents' committee, else any approved one."""
    approved = [o for o in ctx.organizations if o.status == "approved"]
    for preferred in ("social_service_agency", None):
        for org in approved:
            form = org.legal_form
            if form == preferred or (preferred is None and form != "residents_committee"):
                return org
    return approved[0] if approved else None


def _check_phone_free(phone: str, owner: User | None = None) -> None:
    holder = db.session.scalar(select(User).where(User.phone == phone))
    if holder is not None and holder is not owner:
        raise SeedError(f"demo phone {phone} is already taken by another account")


def seed_role_accounts(ctx: DemoContext) -> list[str]:
    """One account per role with a known password (the volunteer reuses a seeded one).

    Returns, for each account made, where it works (organization, district or street name).
    """
    org = _approved_organization(ctx)
    street = next((s for s in ctx.streets if str(s.kind) == "street"), ctx.streets[0])
    places = {
        "organization": org.name if org is not None else "",
        "district": ctx.district.name,
        "street": street.name,
    }
    made = []
    for role, phone, password, scope in ROLE_ACCOUNTS:
        if scope == "organization" and org is None:
            continue  # no organizations seeded yet: nobody to work for
        if role == Role.VOLUNTEER and ctx.volunteer_users:
            user = ctx.volunteer_users[0]
            _check_phone_free(phone, owner=user)
            user.phone = phone
            user.password_hash = ctx.shared_password_hash
        else:
            _check_phone_free(phone)
            name, _ethnicity = person_name(ctx.rng)
            password_hash = (
                ctx.shared_password_hash if password == VOLUNTEER_PASSWORD
                else hash_password(password)
            )
            user = User(phone=phone, display_name=name, password_hash=password_hash)
            grant = RoleGrant(role=role)
            if scope == "organization":
                grant.organization_id = org.id
            elif scope == "district":
                grant.district_id = ctx.district.id
            elif scope == "street":
                grant.street_id = street.id
            user.grants.append(grant)
            db.session.add(user)
        ctx.accounts.append(DemoAccount(role=str(role), phone=phone, password=password))
        made.append(places.get(scope or "", ""))
    return made


def accounts_path() -> Path:
    """``instance/demo-accounts.json`` unless DEMO_ACCOUNTS_FILE says otherwise (tests)."""
    configured = current_app.config["DEMO_ACCOUNTS_FILE"]
    if configured:
        return Path(configured)
    return Path(current_app.instance_path) / "demo-accounts.json"


def write_accounts(ctx: DemoContext) -> Path:
    path = accounts_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = [{"role": a.role, "phone": a.phone, "password": a.password} for a in ctx.accounts]
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


@click.command("seed-demo")
@click.option("--scale", type=click.Choice(SCALES), default="small", show_default=True,
              help="small: one street, 3 communities; district: the full 19,617-volunteer scale.")
@click.option("--if-empty", is_flag=True, help="Do nothing when a district already exists.")
@with_appcontext
def seed_demo_command(scale: str, if_empty: bool) -> None:
    """Load the demo district 克拉玛依区 with its accounts."""
    if "districts" not in inspect(db.engine).get_table_names():
        raise SeedError("the database has no tables yet: run `flask --app marketplace.app db "
                        "upgrade` (or `make db`) first")
    if has_district():
        if if_empty:
            click.echo("The database already holds a district; nothing seeded.")
            return
        raise SeedError("the database already holds a district; seed into an empty database")
    started = time.perf_counter()
    try:
        ctx, ran, places = seed(scale)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if db.engine.dialect.name == "postgresql":
        # Planner statistics for the bulk load: without them (autovacuum off, or not yet
        # run) the shift search plans nested loops over every project, 50 times slower.
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    elapsed = time.perf_counter() - started
    path = write_accounts(ctx)
    click.echo(f"Seeded {ctx.district.name} ({scale}) in {elapsed:.1f} s: "
               f"{len(ctx.streets)} streets, {len(ctx.communities)} communities, "
               f"{len(ctx.grids)} grids, {len(ctx.organizations)} organizations, "
               f"{len(ctx.volunteer_users)} volunteers.")
    click.echo("Domain seeders run: " + (", ".join(ran) if ran else "none yet"))
    click.echo("Demo accounts (also in " + str(path) + "):")
    for account, place in zip(ctx.accounts, places, strict=True):
        suffix = f"  ({place})" if place else ""
        click.echo(f"  {account.role:<15} {account.phone}  {account.password}{suffix}")


def register(app: Flask) -> None:
    """Adds ``flask seed-demo``."""
    app.cli.add_command(seed_demo_command)
