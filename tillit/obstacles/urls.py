from django.urls import path

from tillit.obstacles import views

app_name = "obstacles"

urlpatterns = [
    path("units/<int:unit_id>/obstacles/", views.obstacle_list, name="obstacle-list"),
    path("units/<int:unit_id>/obstacles/new/", views.obstacle_new, name="obstacle-new"),
    path(
        "units/<int:unit_id>/obstacles/suggestions/", views.obstacle_suggestions, name="obstacle-suggestions"
    ),
    path("obstacles/<int:obstacle_id>/", views.obstacle_detail, name="obstacle-detail"),
    path("obstacles/<int:obstacle_id>/answer/", views.obstacle_answer, name="obstacle-answer"),
]
