"""Display labels of the tracking codes; the Chinese ones live in this package's catalog."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.care.models import HouseholdFlag
from marketplace.tracking.models import (
    ContractState,
    EvaluationKind,
    Kpi,
    MilestoneState,
    ScenarioKind,
    ScenarioState,
)

CONTRACT_STATE = {
    ContractState.DRAFT: _l("Draft"),
    ContractState.SIGNED: _l("Signed"),
    ContractState.IN_PROGRESS: _l("In progress"),
    ContractState.EVALUATED: _l("Evaluated"),
    ContractState.CLOSED: _l("Closed"),
    ContractState.TERMINATED: _l("Terminated"),
}

KPI = {
    Kpi.HOUSEHOLDS_SERVED: _l("Households served"),
    Kpi.VERIFIED_HOURS: _l("Verified service hours"),
    Kpi.ACTIVITIES_HELD: _l("Activities held"),
    Kpi.VISITS: _l("Visits with contact"),
    Kpi.BENEFICIARY_RATE: _l("Beneficiary rate (%)"),
    Kpi.PARTICIPATION_RATE: _l("Participation rate (%)"),
    Kpi.SATISFACTION_RATE: _l("Satisfaction rate (%)"),
    Kpi.FOLLOW_UP_SATISFACTION_RATE: _l("Follow-up satisfaction rate (%)"),
    Kpi.EMPTY_NEST_COVERAGE: _l("Empty-nest coverage (%)"),
}

# How each KPI is computed, shown as the page help (domain §5).
KPI_HELP = {
    Kpi.HOUSEHOLDS_SERVED: _l("Distinct households of the contract's care requests with at "
                              "least one visit with contact whose hours are verified."),
    Kpi.VERIFIED_HOURS: _l("Verified, not superseded service minutes of the contract's "
                           "projects and visits, volunteer and paid work alike, in hours."),
    Kpi.ACTIVITIES_HELD: _l("Shifts of the contract's projects that were held; visits are "
                            "counted apart."),
    Kpi.VISITS: _l("Visits with contact by the contract's care teams whose hours are "
                   "verified."),
    Kpi.BENEFICIARY_RATE: _l("Target households (the contract's flags) with a verified "
                             "service in the period, divided by target households active in "
                             "the period."),
    Kpi.PARTICIPATION_RATE: _l("Volunteers living in the buyer's area with verified "
                               "volunteer hours on the contract, divided by the volunteers "
                               "living there."),
    Kpi.SATISFACTION_RATE: _l("Satisfied and basically satisfied follow-up answers, divided "
                              "by all answered follow-ups of the contract's shifts and "
                              "households."),
    Kpi.FOLLOW_UP_SATISFACTION_RATE: _l("The same answers given to someone outside the team, "
                                        "divided by all answered follow-ups."),
    Kpi.EMPTY_NEST_COVERAGE: _l("Active empty-nest households with a living team and a visit "
                                "with contact in the last 30 days, divided by active "
                                "empty-nest households."),
}

MILESTONE_STATE = {
    MilestoneState.PENDING: _l("Pending"),
    MilestoneState.EVALUATED: _l("Evaluated, payment to decide"),
    MilestoneState.PAID: _l("Paid"),
    MilestoneState.PART_PAID: _l("Part-paid"),
    MilestoneState.WITHHELD: _l("Withheld"),
}

EVALUATION_KIND = {
    EvaluationKind.SELF: _l("Self-assessment"),
    EvaluationKind.OFFICIAL: _l("Evaluation by the buyer"),
    EvaluationKind.THIRD_PARTY: _l("Third-party evaluation"),
}

# Household flags a contract may target for its beneficiary rate.
FLAG = {
    HouseholdFlag.ADVANCED_AGE: _l("Advanced age (80+)"),
    HouseholdFlag.SOLITARY: _l("Solitary"),
    HouseholdFlag.INCAPACITATED: _l("Incapacitated"),
    HouseholdFlag.SEMI_INCAPACITATED: _l("Semi-incapacitated"),
    HouseholdFlag.EMPTY_NEST: _l("Empty nest"),
    HouseholdFlag.DIBAO: _l("Minimum living allowance"),
    HouseholdFlag.DISABLED: _l("Disabled"),
}

# Column titles with a percent sign, kept out of the templates (Jinja formats "%" there).
BUDGET_SPENT = _l("Budget spent (%)")
KPI_PROGRESS = _l("KPI progress (%)")

SCENARIO_KIND = {
    ScenarioKind.VOLUNTEERS: _l("More volunteers"),
    ScenarioKind.HOURS: _l("More hours a week from every volunteer"),
    ScenarioKind.HOUSEHOLDS: _l("A contract funds more households"),
}

SCENARIO_STATE = {
    ScenarioState.QUEUED: _l("Queued"),
    ScenarioState.RUNNING: _l("Computing"),
    ScenarioState.SUCCEEDED: _l("Done"),
    ScenarioState.FAILED: _l("Failed"),
}
