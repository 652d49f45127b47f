"""Display labels of the registry's codes; the Chinese ones live in this package's catalog."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.orgs.models import LegalForm, OrgCategory, OrgStatus, ServiceDomain

LEGAL_FORM = {
    LegalForm.SOCIAL_GROUP: _l("Social group"),
    LegalForm.SOCIAL_SERVICE_AGENCY: _l("Private non-enterprise unit"),
    LegalForm.FOUNDATION: _l("Foundation"),
    LegalForm.COMMUNITY_ORG: _l("Community social organization"),
    LegalForm.RESIDENTS_COMMITTEE: _l("Residents' committee"),
}

CATEGORY = {
    OrgCategory.RIGHTS: _l("Rights and interests"),
    OrgCategory.SERVICE: _l("Services"),
    OrgCategory.CULTURE_SPORTS: _l("Culture and sports"),
    OrgCategory.CHARITY: _l("Public welfare and charity"),
    OrgCategory.OTHER: _l("Other"),
}

STATUS = {
    OrgStatus.DRAFT: _l("Draft"),
    OrgStatus.SUBMITTED: _l("Submitted, awaiting decision"),
    OrgStatus.APPROVED: _l("Approved"),
    OrgStatus.RETURNED: _l("Returned for changes"),
    OrgStatus.SUSPENDED: _l("Suspended"),
    OrgStatus.DEREGISTERED: _l("Deregistered"),
}

DOMAIN = {
    ServiceDomain.ELDER_CARE: _l("Elder care"),
    ServiceDomain.PUBLIC_SECURITY: _l("Public security"),
    ServiceDomain.CULTURE: _l("Culture"),
    ServiceDomain.SCIENCE_POPULARIZATION: _l("Science popularization"),
    ServiceDomain.EDUCATION: _l("Education"),
    ServiceDomain.RELEASED_PRISONER_SUPPORT: _l("Support for released prisoners"),
    ServiceDomain.DISABILITY_SUPPORT: _l("Disability support"),
    ServiceDomain.CHILD_YOUTH: _l("Children and youth"),
    ServiceDomain.OTHER: _l("Other"),
}

ACTOR_ROLE = {
    "org_admin": _l("by the organization's administrator"),
    "official": _l("by the official in charge"),
}


def registration_label(org) -> str:
    """已备案 for an approved community organization (filed with the street), 已登记 otherwise;
    nothing for a residents' committee, which is neither."""
    if org.legal_form == LegalForm.RESIDENTS_COMMITTEE:
        return ""
    if org.legal_form == LegalForm.COMMUNITY_ORG:
        return str(_l("Filed with the street"))
    return str(_l("Registered"))
