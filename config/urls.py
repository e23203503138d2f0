from django.contrib import admin
from django.urls import include, path

from tillit.api.api import api
from tillit.chain.views import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("tillit.chain.urls")),
    path("", include("tillit.audit.urls")),
    path("", include("tillit.agreements.urls")),
    path("", include("tillit.indicators.urls")),
    path("", include("tillit.followup.urls")),
    path("", include("tillit.dialogue.urls")),
    path("", include("tillit.obstacles.urls")),
    path("", include("tillit.delegation.urls")),
    path("", include("tillit.notifications.urls")),
    path("", include("tillit.experiments.urls")),
    path("", include("tillit.burden.urls")),
    path("", include("tillit.pulse.urls")),
    path("", include("tillit.whistle.urls")),
    path("", include("tillit.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]
