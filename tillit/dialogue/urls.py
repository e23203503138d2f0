from django.urls import path

from tillit.dialogue import views

app_name = "dialogue"

urlpatterns = [
    path("units/<int:unit_id>/joint-looks/", views.unit_looks, name="unit-looks"),
    path("units/<int:unit_id>/joint-looks/new/", views.look_open, name="look-open"),
    path("joint-looks/<int:look_id>/", views.look_detail, name="look-detail"),
    path("joint-looks/<int:look_id>/notes/", views.look_note, name="look-note"),
    path("joint-looks/<int:look_id>/plan/", views.look_plan, name="look-plan"),
    path("joint-looks/<int:look_id>/close/", views.look_close, name="look-close"),
]
