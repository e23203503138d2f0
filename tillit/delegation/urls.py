from django.urls import path

from tillit.delegation import views

app_name = "delegation"

urlpatterns = [
    path("delegation/", views.register_list, name="register-list"),
    path("delegation/new/", views.register_create, name="register-create"),
    path("delegation/search/", views.search, name="search"),
    path("delegation/template.csv", views.import_template, name="import-template"),
    path("delegation/registers/<int:register_id>/", views.register_detail, name="register-detail"),
    path("delegation/registers/<int:register_id>/import/", views.import_upload, name="register-import"),
    path("delegation/versions/<int:register_version_id>/", views.version_detail, name="version-detail"),
    path(
        "delegation/versions/<int:register_version_id>/csv/", views.version_download, name="version-download"
    ),
    path("delegation/imports/<int:register_import_id>/", views.import_detail, name="import-detail"),
    path("delegation/imports/<int:register_import_id>/apply/", views.import_apply, name="import-apply"),
]
