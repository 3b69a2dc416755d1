"""The one menu (core/menu.py) in templates: ``{% navigation as items %}`` and ``{% home_cards as cards %}``."""

from django import template

from core import menu

register = template.Library()


def _request_tenant(context: template.Context):
    request = context.get("request")
    return request, getattr(request, "tenant", None)


@register.simple_tag(takes_context=True)
def navigation(context: template.Context) -> list[menu.NavItem]:
    """The navigation bar of the request's tenant, with the current page's item marked active."""
    request, tenant = _request_tenant(context)
    match = getattr(request, "resolver_match", None)
    return menu.navigation(tenant, match.view_name if match else "")


@register.simple_tag(takes_context=True)
def home_cards(context: template.Context) -> list[menu.Card]:
    """The cards of the request's tenant's home page."""
    _request, tenant = _request_tenant(context)
    return menu.home_cards(tenant)
