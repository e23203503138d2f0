from django.urls import path  # noqa: F401

from tillit.dialogue import views  # noqa: F401

app_name = "dialogue"

urlpatterns: list = []
