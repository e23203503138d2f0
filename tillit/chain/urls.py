from django.urls import path

from tillit.chain import views

app_name = "chain"

urlpatterns = [
    path("chain/", views.chain_tree, name="tree"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit-detail"),
    path("units/<int:unit_id>/new-sub-unit/", views.unit_create, name="unit-create"),
    path("units/<int:unit_id>/rename/", views.unit_rename, name="unit-rename"),
    path("units/<int:unit_id>/move/", views.unit_move, name="unit-move"),
    path("units/<int:unit_id>/close/", views.unit_close, name="unit-close"),
    path("units/<int:unit_id>/invite/", views.unit_invite, name="unit-invite"),
    path("units/<int:unit_id>/roles/new/", views.membership_create, name="membership-create"),
    path("roles/<int:membership_id>/end/", views.membership_end, name="membership-end"),
    path("people/<int:person_id>/", views.person_detail, name="person-detail"),
    path("organisation/", views.organisation_settings, name="organisation-settings"),
    path("organisation/levels/new/", views.level_create, name="level-create"),
    path("organisation/levels/<int:level_id>/", views.level_rename, name="level-rename"),
    path("organisation/roles/new/", views.role_create, name="role-create"),
]
