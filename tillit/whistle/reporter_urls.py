"""The reporter pages of a channel, under `/<slug>/` (Swedish) and `/en/<slug>/` (English) on the
reporter host only (config/whistle_urls.py). The paths hold a channel's public address and, for a file,
its random id; never a receipt or a case (T-04)."""

from django.urls import path

from tillit.whistle.views import reporter, reporter_inbox

app_name = "report"

urlpatterns = [
    path("<slug:slug>/", reporter.channel_page, name="channel"),
    path("<slug:slug>/rapportera/", reporter.report_form, name="submit"),
    path("<slug:slug>/rapportera/utmaning/", reporter.challenge, name="challenge"),
    path("<slug:slug>/inkorg/", reporter_inbox.inbox, name="inbox"),
    path("<slug:slug>/inkorg/fil/<uuid:attachment_id>/", reporter_inbox.attachment, name="file"),
]
