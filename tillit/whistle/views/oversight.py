"""Placeholder: being written."""

from tillit.whistle.views.cases import _todo

identity_requests = identity_decide = escrow = settings_page = roles = log = _todo
