from django.urls import path

from tillit.accounts import views

app_name = "accounts"

urlpatterns = [
    path("invitation/<str:uidb64>/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("me/security/", views.security, name="security"),
    path("me/api-tokens/", views.api_tokens, name="api-tokens"),
    path("me/api-tokens/<int:token_id>/revoke/", views.api_token_revoke, name="api-token-revoke"),
]
