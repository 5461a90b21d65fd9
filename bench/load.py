"""A small HTTP load generator: closed-loop clients in worker processes, keep-alive connections.

Each client process runs its share of the clients as threads; the parent gathers latencies.
Only loopback addresses are ever targeted.
"""
import http.client
import json
import multiprocessing
import statistics
import threading
import time
from dataclasses import dataclass


@dataclass
class Result:
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    @property
    def p50_ms(self) -> float:
        return self.percentile(50) * 1000

    @property
    def p95_ms(self) -> float:
        return self.percentile(95) * 1000


def _client(port, requests, stop_at, out, errors):
    """Send each (method, path, headers, body) of `requests` in turn until stop_at or exhausted."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for method, path, headers, body in requests:
        if time.monotonic() >= stop_at:
            break
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            ok = 200 <= response.status < 300
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            ok = False
        if ok:
            out.append(time.perf_counter() - started)
        else:
            errors.append(1)
    conn.close()


def _process(port, client_requests, seconds, queue):
    stop_at = time.monotonic() + seconds
    latencies, errors = [], []
    threads = [
        threading.Thread(target=_client, args=(port, reqs, stop_at, latencies, errors)) for reqs in client_requests
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put((latencies, len(errors), time.perf_counter() - started))


def run(port: int, per_client_requests: list[list[tuple]], seconds: float, processes: int = 4) -> Result:
    """Run one closed-loop client per entry of `per_client_requests` for at most `seconds`."""
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    shares = [per_client_requests[i::processes] for i in range(processes)]
    procs = [ctx.Process(target=_process, args=(port, share, seconds, queue)) for share in shares if share]
    started = time.perf_counter()
    for proc in procs:
        proc.start()
    latencies, errors = [], 0
    for _ in procs:
        lat, err, _elapsed = queue.get()
        latencies.extend(lat)
        errors += err
    for proc in procs:
        proc.join()
    elapsed = time.perf_counter() - started
    return Result(requests=len(latencies), errors=errors, seconds=elapsed, latencies=latencies)


def combined(results: list[Result]) -> Result:
    """Several runs as one: their requests, errors, time and latencies added up."""
    return Result(
        requests=sum(r.requests for r in results),
        errors=sum(r.errors for r in results),
        seconds=sum(r.seconds for r in results),
        latencies=[latency for r in results for latency in r.latencies],
    )


def alternating(*runs, rounds: int) -> list[Result]:
    """Call each of `runs` (`run(k)` runs round k) in turn, `rounds` times, and combine each one's
    rounds: the machine's drift during the measurement then weighs on all of them alike."""
    results = [[] for _ in runs]
    for k in range(rounds):
        for run_round, out in zip(runs, results):
            out.append(run_round(k))
    return [combined(out) for out in results]


def request(method: str, path: str, token: str | None = None, payload=None, cookie: str | None = None):
    headers = {"Accept": "application/json"}
    body = None
    if token:
        headers["Authorization"] = f"Token {token}"
    if cookie:
        headers["Cookie"] = cookie
    if payload is not None:
        body = json.dumps(payload)
        headers["Content-Type"] = "application/json"
    return (method, path, headers, body)


def median(values):
    return statistics.median(values) if values else 0.0
