"""Placeholder: being written."""

from django.http import HttpResponse


def _todo(request, **kwargs):
    return HttpResponse(status=501)


dashboard = channel_cases = oral_register = case_detail = case_action = case_file = case_registration = _todo
