"""The Redis cache keeps one redis-py client per connection pool (core/cache.py)."""
from django.core.cache import cache


def test_every_command_borrows_the_same_client(redis_cache):
    backend = cache._cache

    cache.set("answer", 42)

    assert backend.get_client(write=True) is backend.get_client(write=False)
    assert cache.get("answer") == 42
    assert cache.delete_many(["answer"]) is None and cache.get("answer") is None
