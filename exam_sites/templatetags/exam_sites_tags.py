"""Home-page pieces of exam_sites: the latest workflow steps the active tenant may see."""

from django import template

from ..selectors.applications import recent_events

register = template.Library()


@register.simple_tag
def recent_site_events(limit: int = 6):
    return recent_events(limit=limit)
