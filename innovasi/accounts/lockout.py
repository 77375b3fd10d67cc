"""The login lock-out's two limits, for django-axes (``AXES_FAILURE_LIMIT`` names ``failure_limit``).

django-axes 8 counts the failures of each of ``AXES_LOCKOUT_PARAMETERS``' combinations (within the
cool-off), takes the **largest** of those counts and compares it with **one** limit. Listing the user name
alone beside the pair (user name, address) with a plain number would therefore lock a user name after that
many failures from anywhere: the pair would count for nothing, and anyone could lock any account with five
tries. The limit is therefore computed per request, so that each combination has its own:

- ``LOGIN_FAILURES_PER_USERNAME_AND_ADDRESS`` (5) failures of one user name from one address, as before;
- ``LOGIN_FAILURES_PER_USERNAME`` (20) failures of one user name from all addresses together, so that many
  addresses no longer give many tries at one account.

The price of the second: anyone who knows a user name can lock that account for the cool-off (15 minutes)
with 20 failures, its owner too. It is kept higher than the first so that a mistyping owner meets the
first, and the cool-off bounds the harm.
"""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.db.models import Sum


def failure_limit(request, credentials):
    """The limit axes compares with its count, the user name's failures from all addresses (the larger of
    the two): reached when that count reaches its own limit, or when the failures from this address reach
    theirs (the address's count is then the user name's minus those from elsewhere).

    ``AXES_LOCKOUT_PARAMETERS`` must be ``[["username", "ip_address"], ["username"]]``, in this order.
    """
    handler = AxesProxyHandler.get_implementation()
    pair, username = (
        attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
        for attempts in handler.get_user_attempts(request, credentials)
    )
    return min(
        settings.LOGIN_FAILURES_PER_USERNAME,
        username - pair + settings.LOGIN_FAILURES_PER_USERNAME_AND_ADDRESS,
    )
