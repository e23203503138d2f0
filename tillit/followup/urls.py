from django.urls import path

from tillit.followup import views

app_name = "followup"

urlpatterns = [
    path("units/<int:unit_id>/follow-up/", views.unit_followup, name="unit-followup"),
    path("units/<int:unit_id>/follow-up/analyse/", views.unit_analyse, name="unit-analyse"),
    path("units/<int:unit_id>/joint-look/", views.joint_look, name="joint-look"),
]
