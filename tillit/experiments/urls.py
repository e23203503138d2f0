from django.urls import path

from tillit.experiments import views

app_name = "experiments"

urlpatterns = [
    path("units/<int:unit_id>/experiments/", views.unit_experiments, name="unit-experiments"),
    path("units/<int:unit_id>/experiments/new/", views.experiment_new, name="experiment-new"),
    path("experiments/", views.archive, name="archive"),
    path("experiments/<int:experiment_id>/", views.experiment_detail, name="experiment-detail"),
    path("experiments/<int:experiment_id>/edit/", views.experiment_edit, name="experiment-edit"),
    path("experiments/<int:experiment_id>/start/", views.experiment_start, name="experiment-start"),
    path("experiments/<int:experiment_id>/cancel/", views.experiment_cancel, name="experiment-cancel"),
    path("experiments/<int:experiment_id>/study/", views.experiment_study, name="experiment-study"),
    path("experiments/<int:experiment_id>/peers/", views.experiment_peers, name="experiment-peers"),
    path("experiments/<int:experiment_id>/comments/", views.experiment_comment, name="experiment-comment"),
]
