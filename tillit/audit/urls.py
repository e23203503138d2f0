from django.urls import path

from tillit.audit import views

app_name = "audit"

urlpatterns = [
    path("units/<int:unit_id>/audit-log/", views.unit_audit_log, name="unit-log"),
]
