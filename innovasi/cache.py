"""The Redis client of the cache (``REDIS_CLIENT_CLASS`` of django-redis), aware of outages.

django-redis turns a failed command into a cache miss (``IGNORE_EXCEPTIONS``); this client makes the
miss cheap while Redis is down or hung: after one failure, commands are refused at once for a few seconds
instead of each waiting for the socket time-out, and the outage is logged once a minute per process.
"""

import redis

from .outage import Outage

CACHE_OUTAGE = Outage("Redis (cache)")


class OutageAwareRedis(redis.Redis):
    def execute_command(self, *args, **options):
        if CACHE_OUTAGE.is_down():
            raise redis.ConnectionError("Redis is taken as down for a few seconds after a failure")
        try:
            result = super().execute_command(*args, **options)
        except (redis.ConnectionError, redis.TimeoutError) as error:
            CACHE_OUTAGE.failed(error)
            raise
        CACHE_OUTAGE.answered()
        return result
