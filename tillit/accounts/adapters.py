from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter


class InviteOnlyAccountAdapter(DefaultAccountAdapter):
    """People join an organisation by invitation from its administrators, never by signing up."""

    def is_open_for_signup(self, request):
        return False


class ExistingPeopleSocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on signs in people who were invited; it does not create new ones."""

    def is_open_for_signup(self, request, sociallogin):
        return False
