from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PortalModelBackend(ModelBackend):
    """Django's model backend, with two savings on every page: the user's region and OPD (which every
    page shows) come with the user in one query, and nobody but staff is asked for model permissions."""

    def get_user(self, user_id):
        try:
            user = get_user_model()._default_manager.select_related("region", "opd").get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        # The portal's permissions are rules (each app's permissions.py); Django's model permissions
        # only open the data administration site, which only staff may enter.
        if not user_obj.is_staff:
            return set()
        return super().get_all_permissions(user_obj, obj)
