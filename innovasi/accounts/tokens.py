"""The link of an invitation: Django's password-reset token with its own key and lifetime.

Like a reset token it is made of the account's password hash and last log-in, so it works once: setting
the password changes the hash and every link sent before stops working. It is refused after
``INVITATION_VALID_DAYS`` days. Its own key keeps the two kinds apart: an invitation link is no reset
link, and a reset link (valid ``PASSWORD_RESET_TIMEOUT``) opens no invitation.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "innovasi.accounts.tokens.InvitationTokenGenerator"

    @property
    def timeout(self) -> int:
        return settings.INVITATION_VALID_DAYS * 24 * 3600

    def check_token(self, user, token):
        # Django's check_token, with the invitation's lifetime in place of PASSWORD_RESET_TIMEOUT.
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return self._num_seconds(self._now()) - timestamp <= self.timeout


invitation_token_generator = InvitationTokenGenerator()
