"""The chain's rules for the templates every page shares (the navigation); a page's own template gets its
booleans from its view."""

from django import template

from tillit.chain import rules

register = template.Library()


@register.simple_tag(takes_context=True)
def administers_organisation(context) -> bool:
    """Whether the signed-in person administers their organisation (the navigation's "Organisation")."""
    access = getattr(context.get("request"), "access", None)
    return access is not None and rules.can_administer(access, access.organisation_id)
