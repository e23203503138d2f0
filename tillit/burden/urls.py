from django.urls import path

from tillit.burden import views

app_name = "burden"

urlpatterns = [
    path("units/<int:unit_id>/reporting/", views.unit_reporting, name="unit-reporting"),
    path("units/<int:unit_id>/reporting/new/", views.requirement_create, name="requirement-create"),
    path("reporting-requirements/<int:requirement_id>/", views.requirement_detail, name="requirement-detail"),
    path(
        "reporting-requirements/<int:requirement_id>/edit/", views.requirement_edit, name="requirement-edit"
    ),
    path("reporting-requirements/<int:requirement_id>/end/", views.requirement_end, name="requirement-end"),
    path(
        "reporting-requirements/<int:requirement_id>/propose-removal/",
        views.removal_propose,
        name="removal-propose",
    ),
    path("removal-proposals/<int:proposal_id>/answer/", views.proposal_answer, name="proposal-answer"),
    path("units/<int:unit_id>/data-requests/", views.unit_data_requests, name="unit-data-requests"),
    path("units/<int:unit_id>/data-requests/new/", views.data_request_create, name="data-request-create"),
    path("data-requests/<int:request_id>/", views.data_request_detail, name="data-request-detail"),
]
