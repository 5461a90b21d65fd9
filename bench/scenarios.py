"""The benchmark scenarios. Each prints its figures through bench.run.line."""
import threading
import time
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Min
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Department, Role, User
from accounts.services import api_token_create
from applications.enums import Category, Status
from applications.models import Letter, LetterEvent, ReviewQueue
from bench import load
from bench.common import PORT, flush_redis, line
from bench.probe.models import ProbeRow
from startups.enums import MemberRole
from startups.models import Membership, Startup
from subsidies.models import SubsidyRequest

CLIENTS = 16
REVIEWERS = 100
APPROVERS = 8
# Each scenario and its ceiling run in alternating rounds (load.alternating), so that a drift of
# the machine's speed during a run weighs on both alike.
ROUNDS = 3




@dataclass
class World:
    department: Department
    queue: ReviewQueue
    founders: list
    startups: list
    founder_tokens: list
    reviewers: list
    reviewer_tokens: list
    approvers: list
    approver_tokens: list
    probe_token: str

    @classmethod
    def build(cls):
        roles = {role.code: role for role in Role.objects.all()}
        department = Department.objects.create(name="Bench department", code="bench", email="bench@gov.example")

        def users(prefix, count, role, **extra):
            made = User.objects.bulk_create(
                User(username=f"{prefix}{i}", email=f"{prefix}{i}@example.com", **extra) for i in range(count)
            )
            User.roles.through.objects.bulk_create(
                User.roles.through(user_id=user.pk, role_id=roles[role].pk) for user in made
            )
            return made

        founders = users("founder", CLIENTS, "founder")
        reviewers = users("reviewer", REVIEWERS, "reviewer", department=department)
        approvers = users("approver", APPROVERS, "approver", department=department, approval_limit=Decimal("1e9"))
        queue = ReviewQueue.objects.create(
            department=department, name="Bench queue", sla_hours=40, reviewer_capacity=1_000_000, is_default=True
        )
        queue.reviewers.set(reviewers)
        startups = [Startup.objects.create(name=f"Startup {i}", sector="software") for i in range(CLIENTS)]
        Membership.objects.bulk_create(
            Membership(startup=s, user=f, role=MemberRole.OWNER) for s, f in zip(startups, founders)
        )

        def tokens(people):
            return [api_token_create(user=user) for user in people]

        admin = User.objects.create_superuser("bench-admin", "admin@example.com", "x")
        return cls(
            department=department,
            queue=queue,
            founders=founders,
            startups=startups,
            founder_tokens=tokens(founders),
            reviewers=reviewers,
            reviewer_tokens=tokens(reviewers),
            approvers=approvers,
            approver_tokens=tokens(approvers),
            probe_token=api_token_create(user=admin),
        )


def _letters(world, per_startup, **fields):
    """Bulk-create letters (drafts unless `fields` say otherwise), `per_startup` for each
    startup; returns their ids per startup."""
    rows = []
    for startup, founder in zip(world.startups, world.founders):
        rows += [
            Letter(
                startup=startup,
                author=founder,
                category=Category.OTHER,
                subject=f"Request {n}",
                body="Please help us with our registration.",
                **fields,
            )
            for n in range(per_startup)
        ]
    Letter.objects.bulk_create(rows, batch_size=2000)
    by_startup = {}
    for letter_id, startup_id in Letter.objects.filter(status=fields.get("status", Status.DRAFT)).values_list(
        "id", "startup_id"
    ):
        by_startup.setdefault(startup_id, []).append(letter_id)
    return [by_startup.get(s.pk, []) for s in world.startups]


def _clear_letters():
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {Letter._meta.db_table} RESTART IDENTITY CASCADE")


def _probe_insert(token, seconds, clients):
    payload = {"name": "probe", "value": 1}
    per_client = [[load.request("POST", "/bench-probe/insert/", token, payload)] * 100_000 for _ in range(clients)]
    return load.run(PORT, per_client, seconds)


def _in_rounds(per_client):
    """Each client's requests cut into ROUNDS parts: round k sends the k-th parts."""
    return [[requests[k::ROUNDS] for requests in per_client] for k in range(ROUNDS)]


# --- intake ---------------------------------------------------------------------------------


def intake(world, *, seconds):
    """Submitting letters through the API (16 clients), worker stopped; ceiling: bare insert."""
    ids = _letters(world, per_startup=int(seconds * 40))
    per_client = [
        [load.request("POST", f"/api/v1/letters/{i}/submit/", token) for i in letter_ids]
        for letter_ids, token in zip(ids, world.founder_tokens)
    ]
    rounds = _in_rounds(per_client)
    result, ceiling = load.alternating(
        lambda k: load.run(PORT, rounds[k], seconds / ROUNDS),
        lambda k: _probe_insert(world.probe_token, seconds / ROUNDS, CLIENTS),
        rounds=ROUNDS,
    )
    line("intake", result.rps, "req/s", ceiling.rps, result.rps / ceiling.rps, f"errors {result.errors}")
    line("intake p95", result.p95_ms, "ms", ceiling.p95_ms, result.p95_ms / ceiling.p95_ms)
    _clear_letters()
    flush_redis()


# --- routing drain --------------------------------------------------------------------------


def _publish(task, count):
    """`count` messages of `task` on the routing queue, through one producer."""
    with task.app.producer_or_acquire() as producer:
        for _ in range(count):
            task.apply_async(queue="routing", producer=producer)


def _wait_for_empty_routing_queue(broker):
    while broker.llen("routing") > 0 or broker.hlen("unacked") > 0:
        time.sleep(0.02)


def drain(world, *, count, start_worker, stop):
    """`count` letters submitted while the worker is stopped, then the worker started.

    The letters are written as submission leaves them (status, submitted_at, the event) and
    each gets its routing message, as `letter_submit` sends one after commit; writing them in
    bulk keeps the set-up short, the drain is what is measured.
    """
    import redis

    from applications.tasks import task_route_letters
    from bench.probe.tasks import task_route_noop

    now = timezone.now()
    ids = _letters(world, per_startup=count // CLIENTS, status=Status.SUBMITTED, submitted_at=now)
    letter_ids = [i for chunk in ids for i in chunk]
    LetterEvent.objects.bulk_create(
        (
            LetterEvent(letter_id=i, kind="status", from_status=Status.DRAFT, to_status=Status.SUBMITTED)
            for i in letter_ids
        ),
        batch_size=2000,
    )
    total = len(letter_ids)
    _publish(task_route_letters, total)
    broker = redis.Redis.from_url(task_route_letters.app.conf.broker_url)

    worker = start_worker()
    started = time.perf_counter()
    while Letter.objects.filter(status=Status.IN_REVIEW).count() < total:
        time.sleep(0.05)
        if time.perf_counter() - started > 600:
            break
    letters_elapsed = time.perf_counter() - started
    stop(worker)
    flush_redis()

    # Ceiling: as many empty tasks, drained by the same worker.
    _publish(task_route_noop, total)
    worker = start_worker()
    started = time.perf_counter()
    _wait_for_empty_routing_queue(broker)
    tasks_elapsed = time.perf_counter() - started
    stop(worker)
    rate, ceiling = total / letters_elapsed, total / tasks_elapsed
    line("routing drain", rate, "letters/s", ceiling, rate / ceiling, f"{total} letters")
    _clear_letters()
    flush_redis()


# --- latency --------------------------------------------------------------------------------


def latency(world, *, start_worker, stop, rate=50, seconds=60):
    """Letters submitted at a steady `rate` per second; time from submit to in_review."""
    ids = _letters(world, per_startup=rate * seconds // CLIENTS + 1)
    worker = start_worker()
    time.sleep(3)
    plan = [(letter_ids, token) for letter_ids, token in zip(ids, world.founder_tokens)]
    interval = CLIENTS / rate
    threads = []

    def submitter(letter_ids, token, offset):
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        next_at = time.monotonic() + offset
        end = time.monotonic() + seconds
        for letter_id in letter_ids:
            if next_at >= end:
                break
            time.sleep(max(0.0, next_at - time.monotonic()))
            method, path, headers, body = load.request("POST", f"/api/v1/letters/{letter_id}/submit/", token)
            conn.request(method, path, body=body, headers=headers)
            conn.getresponse().read()
            next_at += interval

    for n, (letter_ids, token) in enumerate(plan):
        thread = threading.Thread(target=submitter, args=(letter_ids, token, n * interval / CLIENTS))
        threads.append(thread)
        thread.start()
    for thread in threads:
        thread.join()
    deadline = time.monotonic() + 60
    while Letter.objects.filter(status=Status.SUBMITTED).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    stop(worker)
    delays = []
    routed = (
        LetterEvent.objects.filter(to_status__in=[Status.IN_REVIEW, Status.QUEUED], from_status=Status.SUBMITTED)
        .values("letter_id")
        .annotate(at=Min("at"))
    )
    routed_at = {row["letter_id"]: row["at"] for row in routed}
    for letter_id, submitted_at in Letter.objects.exclude(submitted_at=None).values_list("id", "submitted_at"):
        if letter_id in routed_at:
            delays.append((routed_at[letter_id] - submitted_at).total_seconds())
    result = load.Result(requests=len(delays), errors=0, seconds=seconds, latencies=delays)
    line("latency p50", result.p50_ms, "ms", note=f"{len(delays)} letters at {rate}/s")
    line("latency p95", result.p95_ms, "ms", note="target: under 1000 ms")
    _clear_letters()
    flush_redis()


# --- subsidy approvals ----------------------------------------------------------------------


def _program(name):
    from subsidies.models import Program

    return Program.objects.create(
        name=name,
        budget=Decimal("1000000000.00"),
        max_award=Decimal("1000000.00"),
        opens_on=timezone.localdate() - timezone.timedelta(days=30),
        closes_on=timezone.localdate() + timezone.timedelta(days=30),
        tranches=3,
    )


def _decisions(world, programs, per_approver):
    """For each approver, `per_approver` subsidy letters pending their approval, of
    `programs[n]` for approver n; returns each approver's decide requests."""
    rows = []
    for n, (approver, program) in enumerate(zip(world.approvers, programs)):
        for k in range(per_approver):
            index = (n * per_approver + k) % CLIENTS
            rows.append(
                Letter(
                    startup=world.startups[index],
                    author=world.founders[index],
                    category=Category.SUBSIDY,
                    subject=f"Subsidy {n}-{k}",
                    body="Please fund our prototype.",
                    requested_amount=Decimal("1000.00"),
                    status=Status.PENDING_APPROVAL,
                    queue=world.queue,
                    assignee=approver,
                    reviewed_by=world.reviewers[0],
                    submitted_at=timezone.now(),
                )
            )
    letters = Letter.objects.bulk_create(rows, batch_size=2000)
    SubsidyRequest.objects.bulk_create(
        [
            SubsidyRequest(letter=letter, program=programs[i // per_approver])
            for i, letter in enumerate(letters)
        ],
        batch_size=2000,
    )
    payload = {"decision": "approve", "comment": "", "amount": "1000.00"}
    return [
        [
            load.request("POST", f"/api/v1/letters/{letter.pk}/decide/", token, payload)
            for letter in letters[n * per_approver : (n + 1) * per_approver]
        ]
        for n, token in enumerate(world.approver_tokens)
    ]


def approvals(world, *, seconds):
    """8 approvers approving subsidy letters of one program through the API; ceiling: insert.

    Beside it, the same approvals with a program per approver: no row is shared, so the
    difference between the two is what the hot row costs.
    """
    shared = _program("Bench program")
    own = [_program(f"Bench program {n}") for n in range(APPROVERS)]
    per_approver = int(seconds * 60)
    one_program = _in_rounds(_decisions(world, [shared] * APPROVERS, per_approver))
    own_programs = _in_rounds(_decisions(world, own, per_approver))
    result, ceiling, unshared = load.alternating(
        lambda k: load.run(PORT, one_program[k], seconds / ROUNDS),
        lambda k: _probe_insert(world.probe_token, seconds / ROUNDS, APPROVERS),
        lambda k: load.run(PORT, own_programs[k], seconds / ROUNDS),
        rounds=ROUNDS,
    )
    line("approvals", result.rps, "req/s", ceiling.rps, result.rps / ceiling.rps, f"errors {result.errors}")
    line("approvals p95", result.p95_ms, "ms", ceiling.p95_ms, result.p95_ms / ceiling.p95_ms)
    line(
        "approvals, a program each",
        unshared.rps,
        "req/s",
        ceiling.rps,
        unshared.rps / ceiling.rps,
        f"errors {unshared.errors}; no shared row",
    )
    for program in [shared, *own]:
        program.refresh_from_db()
        assert program.committed <= program.budget
    _clear_letters()


# --- the reviewer's queue -------------------------------------------------------------------


def _fill_letters(world, total):
    """`total` in-review letters spread over the reviewers, copied from one template row in SQL."""
    template = Letter.objects.create(
        startup=world.startups[0],
        author=world.founders[0],
        category=Category.OTHER,
        subject="Template",
        body="A letter in review.",
        status=Status.IN_REVIEW,
        queue=world.queue,
        assignee=world.reviewers[0],
        submitted_at=timezone.now(),
        due_at=timezone.now() + timezone.timedelta(days=5),
    )
    table = Letter._meta.db_table
    columns = [f.column for f in Letter._meta.concrete_fields if f.column != "id"]
    reviewer_ids = ",".join(str(r.pk) for r in world.reviewers)
    startup_ids = ",".join(str(s.pk) for s in world.startups)
    overrides = {
        "assignee_id": f"(ARRAY[{reviewer_ids}])[1 + g %% {len(world.reviewers)}]",
        "startup_id": f"(ARRAY[{startup_ids}])[1 + g %% {len(world.startups)}]",
        "subject": "'Letter ' || g",
        "due_at": "t.due_at + g * interval '1 second'",
    }
    select = ", ".join(overrides.get(c, f"t.{c}") for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select} "
            f"FROM {table} t, generate_series(1, %s) g WHERE t.id = %s",
            [total - 1, template.pk],
        )
        cursor.execute(f"ANALYZE {table}")
    ProbeRow.objects.bulk_create(ProbeRow(name=f"row {i}", value=i) for i in range(1000))


def _queries_per_request(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(queries)


def reviewer_queue(world, *, letters, seconds, api_path="/api/v1/letters/?assignee=me&status=in_review"):
    from django.urls import reverse

    started = time.perf_counter()
    _fill_letters(world, letters)
    fill_seconds = time.perf_counter() - started
    page_path = reverse("letters:my-work")

    # Queries per request, measured in this process.
    api_client = Client(HTTP_HOST="127.0.0.1")
    api_client.defaults["HTTP_AUTHORIZATION"] = f"Token {world.reviewer_tokens[1]}"
    page_client = Client(HTTP_HOST="127.0.0.1")
    page_client.force_login(world.reviewers[1])
    api_queries = _queries_per_request(api_client, api_path)
    page_queries = _queries_per_request(page_client, page_path)
    ceiling_queries = _queries_per_request(api_client, "/bench-probe/list/")

    api_requests = [[load.request("GET", api_path, token)] * 100_000 for token in world.reviewer_tokens[:CLIENTS]]
    cookies = []
    for reviewer in world.reviewers[:CLIENTS]:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(reviewer)
        cookies.append(f"sessionid={client.cookies['sessionid'].value}")
    page_requests = [[load.request("GET", page_path, cookie=cookie)] * 100_000 for cookie in cookies]
    probe_requests = [[load.request("GET", "/bench-probe/list/", world.probe_token)] * 100_000] * CLIENTS
    api, probe, page = load.alternating(
        lambda k: load.run(PORT, api_requests, seconds / ROUNDS),
        lambda k: load.run(PORT, probe_requests, seconds / ROUNDS),
        lambda k: load.run(PORT, page_requests, seconds / ROUNDS),
        rounds=ROUNDS,
    )
    note = f"{letters} letters, filled in {fill_seconds:.0f} s"
    line("reviewer queue API", api.rps, "req/s", probe.rps, api.rps / probe.rps, note)
    line("reviewer queue API p95", api.p95_ms, "ms", probe.p95_ms, api.p95_ms / probe.p95_ms, "target: ratio <= 1.5")
    line("reviewer queue page", page.rps, "req/s", probe.rps, page.rps / probe.rps)
    line("reviewer queue page p95", page.p95_ms, "ms", probe.p95_ms, page.p95_ms / probe.p95_ms)
    line("reviewer queue API queries", api_queries, "queries/request", ceiling_queries, api_queries / ceiling_queries)
    line("reviewer queue page queries", page_queries, "queries/request")
