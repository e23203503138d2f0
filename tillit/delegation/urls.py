from django.urls import path  # noqa: F401

from tillit.delegation import views  # noqa: F401

app_name = "delegation"

urlpatterns: list = []
