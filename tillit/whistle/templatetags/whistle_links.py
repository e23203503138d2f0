"""The staff site's two links to the whistleblowing channel: the reporter address in the footer, for
everyone of an organisation with an open channel (people must know where to report), and the staff
pages in the menu, for those with a role. One query, only where shown."""

from django import template
from django.conf import settings

from tillit.whistle.selectors import channel_links

register = template.Library()


@register.simple_tag(takes_context=True)
def whistle_links(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.organisation_id:
        return {}
    cached = getattr(request, "_whistle_links", None)
    if cached is None:
        links = channel_links(person=user)
        host = settings.WHISTLE_HOSTS[0] if settings.WHISTLE_HOSTS else ""
        scheme = "https" if settings.HTTPS else "http"
        cached = request._whistle_links = {
            "has_role": links.has_role,
            "reporter_address": f"{scheme}://{host}/{links.open_slug}/" if links.open_slug and host else "",
        }
    return cached
