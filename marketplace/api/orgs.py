"""Organizations: the public directory and one organization as the viewer may see it."""

from __future__ import annotations

from flask_login import current_user

from marketplace.api.framework import api_blueprint, api_public, one_page, page_schema
from marketplace.api.schemas import OrganizationSchema, OrgQuery
from marketplace.orgs import directory, services

blp = api_blueprint("api_orgs", "/organizations", "Social organizations")
OrganizationPage = page_schema(OrganizationSchema)


@blp.get("")
@api_public
@blp.arguments(OrgQuery, location="query", as_kwargs=True)
@blp.response(200, OrganizationPage)
def organization_list(page, per_page, q):
    """Approved organizations of the directory, by name or pinyin."""
    return one_page(directory.directory_query(directory.DirectoryFilters(q=q)), per_page)


@blp.get("/<int:org_id>")
@api_public
@blp.response(200, OrganizationSchema)
def organization_detail(org_id: int):
    """One organization: approved ones for anyone, others for their staff and officials."""
    return services.get_visible(current_user, org_id)
