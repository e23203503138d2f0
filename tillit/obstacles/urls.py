from django.urls import path  # noqa: F401

from tillit.obstacles import views  # noqa: F401

app_name = "obstacles"

urlpatterns: list = []
