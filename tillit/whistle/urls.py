"""The staff side of the whistleblowing channel, on the staff host only (the reporter pages are in
config/whistle_urls.py and answer only on the reporter host)."""

from django.urls import path

from tillit.whistle.views import case_files, cases, keys, oversight

app_name = "whistle"

urlpatterns = [
    path("visselblasning/", cases.dashboard, name="dashboard"),
    # Keys: create, unlock, lock, change the passphrase, recover, show the recovery key.
    path("visselblasning/nycklar/", keys.keyring, name="keyring"),
    path("visselblasning/nycklar/las-upp/", keys.unlock, name="unlock"),
    path("visselblasning/nycklar/las/", keys.lock, name="lock"),
    path("visselblasning/nycklar/byt-losenfras/", keys.passphrase_change, name="passphrase-change"),
    path("visselblasning/nycklar/aterstall/", keys.recover, name="recover"),
    path("visselblasning/nycklar/aterstallningsnyckel/", keys.recovery_key, name="recovery-key"),
    # A channel's cases, one case, its files, its registration entry, an oral report.
    path("visselblasning/<slug:slug>/", cases.channel_cases, name="channel"),
    path("visselblasning/<slug:slug>/muntlig/", case_files.oral_register, name="oral-register"),
    path("visselblasning/<slug:slug>/arenden/<uuid:report_id>/", cases.case_detail, name="case"),
    # Before the actions' pattern, which would otherwise take "registrering" for an action.
    path(
        "visselblasning/<slug:slug>/arenden/<uuid:report_id>/registrering/",
        case_files.case_registration,
        name="case-registration",
    ),
    path(
        "visselblasning/<slug:slug>/arenden/<uuid:report_id>/<str:action>/",
        cases.case_action,
        name="case-action",
    ),
    path(
        "visselblasning/<slug:slug>/arenden/<uuid:report_id>/filer/<uuid:attachment_id>/",
        case_files.case_file,
        name="case-file",
    ),
    # Custodians, escrow holders, administrators: identity requests, escrow, settings and roles, the log.
    path("visselblasning/<slug:slug>/identitet/", oversight.identity_requests, name="identity-requests"),
    path(
        "visselblasning/<slug:slug>/identitet/<int:request_id>/",
        oversight.identity_decide,
        name="identity-decide",
    ),
    path("visselblasning/<slug:slug>/deponering/", oversight.escrow, name="escrow"),
    path("visselblasning/<slug:slug>/installningar/", oversight.settings_page, name="settings"),
    path("visselblasning/<slug:slug>/roller/", oversight.roles, name="roles"),
    path("visselblasning/<slug:slug>/logg/", oversight.log, name="log"),
]
