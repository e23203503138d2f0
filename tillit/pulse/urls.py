from django.urls import path

from tillit.pulse import views

app_name = "pulse"

urlpatterns = [
    # Anonymous: the code travels in the link's fragment and by POST, never in a URL.
    path("puls/svara/", views.answer, name="answer"),
    path("pulses/", views.pulse_list, name="pulse-list"),
    path("pulses/new/", views.pulse_create, name="pulse-create"),
    path("pulses/settings/", views.pulse_settings, name="settings"),
    path("pulses/<int:pulse_id>/", views.pulse_detail, name="pulse-detail"),
    path("pulses/<int:pulse_id>/edit/", views.pulse_edit, name="pulse-edit"),
    path("pulses/<int:pulse_id>/open/", views.pulse_open, name="pulse-open"),
    path("pulses/<int:pulse_id>/remind/", views.pulse_remind, name="pulse-remind"),
    path("pulses/<int:pulse_id>/close/", views.pulse_close, name="pulse-close"),
    path(
        "pulses/<int:pulse_id>/units/<int:pulse_unit_id>/share/",
        views.results_share,
        name="results-share",
    ),
    path("pulses/<int:pulse_id>/units/<int:pulse_unit_id>/joint-look/", views.look_open, name="look-open"),
    path("pulses/<int:pulse_id>/free-text/", views.free_text, name="free-text"),
    path(
        "pulses/<int:pulse_id>/free-text/<uuid:answer_id>/release/",
        views.free_text_release,
        name="free-text-release",
    ),
    path("units/<int:unit_id>/pulse/", views.unit_history, name="unit-history"),
]
