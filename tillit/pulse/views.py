"""Pages of the trust pulse (being built: see the UI work)."""

from django.http import HttpResponse


def answer(request):
    return HttpResponse("")


def pulse_list(request):
    return HttpResponse("")


def pulse_detail(request, pulse_id: int):
    return HttpResponse("")
