from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.permissions import permission_required

from .selectors import home_figures


@permission_required(None)
def home(request: HttpRequest) -> HttpResponse:
    """Each role's home: what it may do, and its key figures."""
    tenant = request.tenant
    if tenant is None:
        return render(request, "reports/home_no_membership.html", status=200)
    template = f"reports/home_{tenant.role}.html"
    return render(request, template, {"figures": home_figures(tenant)})
