"""What the benchmark runner and its scenarios share."""
import os

PORT = 8100


def line(name, value, unit, ceiling=None, ratio=None, note=""):
    """One figure as `name: value unit (ceiling: value unit, ratio: r)`."""
    text = f"{name}: {value:.1f} {unit}"
    if ceiling is not None:
        text += f" (ceiling: {ceiling:.1f} {unit}, ratio: {ratio:.2f})"
    if note:
        text += f" [{note}]"
    print(text, flush=True)


def flush_redis():
    """Empty the bench's Redis db: the broker's messages and the cache of an earlier run (whose
    keys name rows of a database since dropped)."""
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
