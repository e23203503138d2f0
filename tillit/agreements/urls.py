from django.urls import path

from tillit.agreements import views

app_name = "agreements"

urlpatterns = [
    path("units/<int:unit_id>/purpose/", views.purpose_edit, name="purpose-edit"),
    path("units/<int:unit_id>/purpose/history/", views.purpose_history, name="purpose-history"),
    path("units/<int:unit_id>/agreement/", views.agreement_detail, name="agreement-detail"),
    path("units/<int:unit_id>/agreement/versions/", views.agreement_versions, name="agreement-versions"),
    path("units/<int:unit_id>/agreement/new-version/", views.agreement_draft, name="agreement-draft"),
    path("agreement-versions/<int:version_id>/", views.agreement_version, name="agreement-version"),
    path(
        "agreement-versions/<int:version_id>/edit/",
        views.agreement_version_edit,
        name="agreement-version-edit",
    ),
    path("agreement-versions/<int:version_id>/changes/", views.agreement_diff, name="agreement-version-diff"),
    path(
        "agreement-versions/<int:version_id>/propose/",
        views.agreement_propose,
        name="agreement-version-propose",
    ),
    path("agreement-versions/<int:version_id>/sign/", views.agreement_sign, name="agreement-version-sign"),
    path(
        "agreement-versions/<int:version_id>/comment/",
        views.agreement_comment,
        name="agreement-version-comment",
    ),
    path("boundaries/<int:boundary_id>/report/", views.boundary_report, name="boundary-report"),
]
