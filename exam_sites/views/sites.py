"""The page of approved exam sites and guidance centres."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from core.permissions import permission_required
from core.scoping import PLATFORM

from ..selectors.sites import exam_site_rooms, exam_sites, guidance_centres


@permission_required(None)  # a school sees its own sites, an organisation those of its certificates
def site_list(request: HttpRequest) -> HttpResponse:
    if request.tenant is None:
        raise PermissionDenied
    if request.tenant.kind == PLATFORM:
        return redirect("admin:exam_sites_examsite_changelist")  # staff see every tenant's sites there
    sites = list(exam_sites())
    for site in sites:
        site.room_list = list(exam_site_rooms(site))
    return render(request, "exam_sites/site_list.html", {"sites": sites, "centres": guidance_centres()})
