"""Django's Redis cache backend, with one redis-py client per connection pool."""
from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    """Django builds a new redis-py client for every command, and building one (redis-py sets up
    its response callbacks each time) costs three times the command itself. A client only
    borrows its pool's connections, so one per pool is kept (and Django's caches are per
    thread)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if pool not in self._clients:
            self._clients[pool] = self._client(connection_pool=pool)
        return self._clients[pool]


class RedisCache(redis.RedisCache):
    """Django's Redis backend on the client above (`CACHES`' backend when there is Redis)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
