from django.urls import path

from tillit.pulse import views

app_name = "pulse"

urlpatterns = [
    path("puls/svara/", views.answer, name="answer"),
    path("pulses/", views.pulse_list, name="pulse-list"),
    path("pulses/<int:pulse_id>/", views.pulse_detail, name="pulse-detail"),
]
