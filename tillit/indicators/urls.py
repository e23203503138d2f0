from django.urls import path

from tillit.indicators import views

app_name = "indicators"

urlpatterns = [
    path("units/<int:unit_id>/indicators/", views.indicator_list, name="indicator-list"),
    path("units/<int:unit_id>/indicators/new/", views.indicator_create, name="indicator-create"),
    path("units/<int:unit_id>/narrative/", views.narrative_edit, name="narrative-edit"),
    path("units/<int:unit_id>/import/", views.import_upload, name="import-upload"),
    path("units/<int:unit_id>/import/template.csv", views.import_template, name="import-template"),
    path("imports/<int:import_id>/", views.import_detail, name="import-detail"),
    path("imports/<int:import_id>/apply/", views.import_apply, name="import-apply"),
    path("indicators/<int:indicator_id>/", views.indicator_detail, name="indicator-detail"),
    path("indicators/<int:indicator_id>/edit/", views.indicator_edit, name="indicator-edit"),
    path("indicators/<int:indicator_id>/retire/", views.indicator_retire, name="indicator-retire"),
    path("indicators/<int:indicator_id>/record/", views.observation_record, name="observation-record"),
    path(
        "indicators/<int:indicator_id>/phase-changes/new/",
        views.phase_change_create,
        name="phase-change-create",
    ),
    path(
        "phase-changes/<int:phase_change_id>/delete/",
        views.phase_change_delete,
        name="phase-change-delete",
    ),
]
