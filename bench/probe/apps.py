from django.apps import AppConfig


class ProbeConfig(AppConfig):
    """The benchmarks' ceilings: the plainest DRF endpoints and Celery task this stack can run.

    Installed only when BENCH_PROBE=1 (bench/run.py sets it), never in a deployment.
    """

    name = "bench.probe"
    label = "bench_probe"
