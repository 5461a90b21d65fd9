"""The cache between tests."""


def clear_own_cache():
    """Empty this xdist worker's cache. In Redis only the keys of its prefix: `cache.clear()`
    is FLUSHDB there, which would empty the other workers' throttle counters mid-test."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        backend.clear()
        return
    client = backend._cache.get_client(write=True)
    keys = list(client.scan_iter(match=backend.make_key("*")))
    if keys:
        client.delete(*keys)
