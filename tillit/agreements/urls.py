from django.urls import path

from tillit.agreements import views

app_name = "agreements"

urlpatterns = [
    path("units/<int:unit_id>/purpose/", views.purpose_edit, name="purpose-edit"),
    path("units/<int:unit_id>/purpose/history/", views.purpose_history, name="purpose-history"),
]
