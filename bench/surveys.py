"""Survey-submission benchmark: concurrent citizens answering a survey on a production server.

    .venv/bin/python -m bench.surveys [--submitters 50] [--per-submitter 120] [--workers 5]
                                      [--seconds 120] [--trivial-seconds 10]
                                      [--export-answers 1000000] [--smoke] [--keep-db]

What it does, on this machine only (loopback):

1. starts the machine's PostgreSQL 15 cluster if it is not running (``pg_ctlcluster 15 main
   start``), and (re)creates the database ``civitas_bench_surveys`` owned by the benchmarks' own
   role; starts a private Redis (in memory only) as the cache and rate-limit counters every server
   process shares (``CACHE_URL``), as an installation at scale runs;
2. migrates it, collects the static files into a temporary folder, and creates a municipality
   with a published survey of eight questions (every kind: single and multiple choice, Likert,
   ranking, number, short and long text, and a condition), one response per invitation code,
   ``submitters × per-submitter`` codes, and a second survey with one response per account and
   its citizen accounts with signed-in sessions;
3. starts gunicorn (``civitas.wsgi``, DEBUG off, the production settings) on a free 127.0.0.1
   port;
4. throughput: ``submitters`` threads, each with its own invitation codes, fetch the
   questionnaire once (for the CSRF token) and then post complete, valid responses, one per
   code, as fast as the server answers, bounded by the number of codes and by ``--seconds``;
   the trivial view (``/healthz``, a Django view that touches no database) is measured by the
   same server with as many clients for ``--trivial-seconds`` before and after, and the goal is a
   ratio to it, so that the verdict does not depend on the machine: submissions per second at
   least 0.15 of the trivial view's requests per second;
5. proves that none was lost and none duplicated: the number of successful submissions (303 to
   the thank-you page) equals the responses stored, equals the distinct dedupe keys, equals the
   codes marked used; every response has all its answers; no request failed;
6. fires deliberate double submissions at the same moment — the same invitation code twice, and
   the same signed-in account twice — and shows that exactly one of each pair is stored and the
   other is refused with the "already used / already answered" message;
7. optionally (``--export-answers N``) inserts N answers and exports them to CSV through the
   export code, measuring time and the Python memory peak (tracemalloc);
8. writes the figures under "## Survey submissions" in BENCHMARKS.md (replacing that section
   only) and stops the server in every case; exits non-zero when the goal is missed or a proof
   fails.

``--smoke`` is the small run for continuous integration (4 responses per submitter, 5 races, the
trivial view for 2 s, nothing written to BENCHMARKS.md unless ``--output`` is given): the ratio
is reported but does not fail it; a failed request or a response lost or doubled does.
"""

import argparse
import datetime
import http.client
import json
import os
import re
import secrets
import sys
import tempfile
import threading
import time
import tracemalloc
import urllib.parse
from pathlib import Path
from typing import Any

from bench.common import (
    HOST,
    OUTPUT,
    clean_up,
    measured_line,
    percentile,
    pg_port,
    prepare,
    recreate_database,
    server_env,
    server_version,
    spread,
    start_redis,
    start_server,
    stop_server,
    verdict,
    write_section,
)

DB_NAME = "civitas_bench_surveys"
# The benchmark's own role: another benchmark running beside it renews its own role's password.
DB_USER = "civitas_bench_surveys"
MUNICIPALITY = "bench"
GOAL_RATIO = 0.15  # submissions per second, of the trivial view's requests per second
TRIVIAL_PATH = "/healthz"
SECTION_TITLE = "## Survey submissions"


# Data -------------------------------------------------------------------------------------------


def create_data(codes_needed: int, accounts: int) -> dict:
    """The benchmark's municipality, surveys, codes and signed-in accounts (Django set up)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from civitas.core.permissions import OPERATOR
    from civitas.core.services import municipality_create
    from civitas.surveys import services

    municipality = municipality_create(
        actor=OPERATOR, slug=MUNICIPALITY, name_bg="Община Бенчмарк", name_en="Benchmark"
    )
    now = timezone.now()

    def survey(slug, **fields):
        s = services.survey_create(
            actor=OPERATOR, municipality=municipality, slug=slug, title_bg="Приоритети", status="published",
            opens_at=now - datetime.timedelta(hours=1), closes_at=now + datetime.timedelta(days=1), **fields,
        )  # fmt: skip
        q = [
            services.question_create(actor=OPERATOR, survey=s, kind="single", text_bg="Къде живеете?", required=True,
                                     options=[("Сопот", ""), ("Анево", "")]),
            services.question_create(actor=OPERATOR, survey=s, kind="multiple", text_bg="Кои проекти?",
                                     options=[("Кале", ""), ("Велоалея", ""), ("Център", "")]),
            services.question_create(actor=OPERATOR, survey=s, kind="likert", text_bg="Доволни ли сте?", required=True,
                                     scale_size=5),
            services.question_create(actor=OPERATOR, survey=s, kind="ranking", text_bg="Подредете целите",
                                     options=[("СЦ1", ""), ("СЦ2", ""), ("СЦ3", ""), ("СЦ4", "")]),
            services.question_create(actor=OPERATOR, survey=s, kind="number", text_bg="Възраст", min_value=14,
                                     max_value=120),
            services.question_create(actor=OPERATOR, survey=s, kind="short_text", text_bg="Една дума"),
            services.question_create(actor=OPERATOR, survey=s, kind="long_text", text_bg="Идеи"),
        ]  # fmt: skip
        anevo = q[0].options.order_by("position")[1]
        q.append(
            services.question_create(
                actor=OPERATOR,
                survey=s,
                kind="short_text",
                text_bg="Какво липсва в Анево?",
                condition_option=anevo,
            )  # fmt: skip
        )
        return s, q

    surveys = {name: survey(name, one_response_per="code") for name in ("main", "warm-up", "race")}
    surveys["accounts"] = survey("accounts", access="account", one_response_per="account")

    def generate(survey, count: int) -> list[str]:
        """``count`` codes, in the batches staff may generate at once."""
        out: list[str] = []
        while len(out) < count:
            batch = min(count - len(out), 5000)
            out += [c.code for c in services.invitations_generate(actor=OPERATOR, survey=survey, count=batch)]
        return out

    codes = {
        name: generate(surveys[name][0], count)
        for name, count in (("main", codes_needed), ("warm-up", 200), ("race", accounts))
    }
    users = get_user_model().objects
    sessions = []
    for i in range(accounts):
        user = users.create_user(username=f"bench-citizen-{i}", password=secrets.token_urlsafe(16))
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)

    def answers(qs):
        """A complete valid response as form fields (Anevo, so that the follow-up applies)."""
        o = [list(question.options.order_by("position")) for question in qs]
        fields = [
            (f"q{qs[0].pk}", str(o[0][1].pk)),
            (f"q{qs[1].pk}", str(o[1][0].pk)), (f"q{qs[1].pk}", str(o[1][2].pk)),
            (f"q{qs[2].pk}", "4"),
            *[(f"q{qs[3].pk}-o{option.pk}", str(rank)) for rank, option in enumerate(reversed(o[3]), start=1)],
            (f"q{qs[4].pk}", "42"),
            (f"q{qs[5].pk}", "Велоалея"),
            (f"q{qs[6].pk}", "Повече автобуси до Карлово и ремонт на улиците в квартала."),
            (f"q{qs[7].pk}", "Детска площадка"),
        ]  # fmt: skip
        return fields

    # single 1 + multiple 2 + Likert 1 + ranking 4 + number 1 + short 1 + long 1 + follow-up 1 = 12 answers
    return {
        name: {"id": sv.pk, "path": f"/{MUNICIPALITY}/surveys/{sv.slug}/", "fields": answers(qs),
               "codes": codes.get(name, []), "sessions": sessions if name == "accounts" else []}
        for name, (sv, qs) in surveys.items()
    }  # fmt: skip


# The load ---------------------------------------------------------------------------------------

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Client:
    """One submitter: its own connection, CSRF cookie and token (and session, if signed in)."""

    def __init__(self, port: int, path: str, session: str | None = None):
        self.port, self.path = port, path
        self.conn = http.client.HTTPConnection(HOST, port, timeout=60)
        self.cookies = {"sessionid": session} if session else {}
        status, headers, body = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status} {body[:300]!r}")
        for header, value in headers:
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        found = TOKEN.search(body.decode())
        if found is None:
            raise RuntimeError(f"GET {path}: no CSRF token in the page")
        self.token = found.group(1)

    def request(self, method: str, path: str, body: bytes | None = None):
        headers = {"Host": f"{HOST}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
        for attempt in range(3):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                return response.status, response.getheaders(), data
            except (ConnectionError, http.client.HTTPException):
                self.conn.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def submit(self, fields: list, code: str | None = None):
        data = fields + [("csrfmiddlewaretoken", self.token), ("action", "submit")]
        if code is not None:
            data.append(("invitation_code", code))
        status, headers, body = self.request("POST", self.path, urllib.parse.urlencode(data).encode())
        location = dict((k.lower(), v) for k, v in headers).get("location", "")
        return status, location, body


def throughput(port: int, survey: dict, submitters: int, per_submitter: int, seconds: float) -> dict:
    path, fields = survey["path"], survey["fields"]
    clients = [Client(port, path) for _ in range(submitters)]
    stats: list[dict[str, Any]] = [
        {"ok": 0, "refused": 0, "errors": 0, "latencies": []} for _ in range(submitters)
    ]
    barrier = threading.Barrier(submitters + 1)
    deadline = [0.0]

    def run(i: int):
        client, stat = clients[i], stats[i]
        codes = survey["codes"][i * per_submitter : (i + 1) * per_submitter]
        barrier.wait()
        for code in codes:
            if time.monotonic() > deadline[0]:
                break
            started = time.perf_counter()
            try:
                status, location, body = client.submit(fields, code)
            except Exception:  # noqa: BLE001 - counted, reported and fails the proof
                stat["errors"] += 1
                continue
            stat["latencies"].append(time.perf_counter() - started)
            if status == 303 and location.endswith("/thanks/"):
                stat["ok"] += 1
            elif status in (400, 429):
                stat["refused"] += 1
            else:
                stat["errors"] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(submitters)]
    for t in threads:
        t.start()
    deadline[0] = time.monotonic() + seconds
    started = time.perf_counter()
    barrier.wait()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies = sorted(latency for s in stats for latency in s["latencies"])

    def pct(p):
        return percentile(latencies, p) * 1000

    ok = sum(s["ok"] for s in stats)
    return {
        "submitters": submitters, "elapsed": elapsed, "ok": ok, "refused": sum(s["refused"] for s in stats),
        "errors": sum(s["errors"] for s in stats), "per_second": ok / elapsed if elapsed else 0.0,
        "p50_ms": pct(0.50), "p95_ms": pct(0.95), "p99_ms": pct(0.99),
    }  # fmt: skip


def race(port: int, path: str, fields: list, *, codes=None, sessions=None, copies: int = 2) -> dict:
    """For each code (or signed-in session), ``copies`` identical submissions at the same moment."""
    keys = codes if codes is not None else sessions
    outcomes: dict[str, list[int]] = {key: [] for key in keys}
    lock = threading.Lock()
    for key in keys:
        clients = [Client(port, path, session=None if codes is not None else key) for _ in range(copies)]
        barrier = threading.Barrier(copies)

        def fire(client, key=key, barrier=barrier):
            barrier.wait()
            status, location, body = client.submit(fields, key if codes is not None else None)
            with lock:
                outcomes[key].append(303 if status == 303 and location.endswith("/thanks/") else status)

        threads = [threading.Thread(target=fire, args=(c,)) for c in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    exactly_one = sum(1 for results in outcomes.values() if results.count(303) == 1)
    return {"pairs": len(keys), "copies": copies, "exactly_one": exactly_one, "outcomes": outcomes}


# Proofs -----------------------------------------------------------------------------------------


def stored(survey_id: int) -> dict:
    from django.db.models import Count

    from civitas.surveys.models import Answer, Invitation, Response

    responses = Response.objects.filter(survey_id=survey_id)
    per_response = set(
        Answer.objects.filter(response__survey_id=survey_id)
        .values("response_id")
        .annotate(n=Count("id"))
        .values_list("n", flat=True)
    )
    return {
        "responses": responses.count(),
        "distinct_keys": responses.values("dedupe_key").distinct().count(),
        "null_keys": responses.filter(dedupe_key__isnull=True).count(),
        "codes_used": Invitation.objects.filter(survey_id=survey_id, used_at__isnull=False).count(),
        "answers": Answer.objects.filter(response__survey_id=survey_id).count(),
        "answers_per_response": sorted(per_response),
    }


# The million-answer export ----------------------------------------------------------------------


def export_run(survey_id: int, answers: int) -> dict:
    """Insert ``answers`` answers (ten per response) with SQL, then stream the CSV export and
    measure time, size and the Python memory peak."""
    import resource

    from django.db import connection

    from civitas.surveys import exports
    from civitas.surveys.models import Question, Survey

    survey = Survey.objects.get(pk=survey_id)
    question_ids = list(
        Question.objects.filter(survey=survey).order_by("position").values_list("pk", flat=True)
    )
    responses = answers // 10
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO surveys_response (survey_id, source, submitted_at, is_sample) "
            "SELECT %s, 'paper', now(), true FROM generate_series(1, %s)",
            [survey.pk, responses],
        )
        cursor.execute(
            "INSERT INTO surveys_answer (response_id, question_id, text) "
            "SELECT r.id, q.qid, 'Повече автобуси до Карлово и ремонт на улиците ' || r.id "
            "FROM surveys_response r CROSS JOIN unnest(%s::bigint[]) AS q(qid) "
            "WHERE r.survey_id = %s AND r.source = 'paper'",
            [(question_ids * 2)[:10], survey.pk],
        )
        cursor.execute("ANALYZE surveys_answer")
        cursor.execute("ANALYZE surveys_response")
        cursor.execute("SELECT count(*) FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id "
                       "WHERE r.survey_id = %s", [survey.pk])  # fmt: skip
        total_answers = cursor.fetchone()[0]
    inserted = time.perf_counter() - started
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    started = time.perf_counter()
    size = rows = 0
    for line in exports.responses_csv_lines(survey):
        size += len(line.encode())
        rows += 1
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "answers": total_answers, "rows": rows - 1, "bytes": size, "seconds": elapsed, "insert_seconds": inserted,
        "peak_bytes": peak, "rss_growth_kb": rss_after - rss_before,
    }  # fmt: skip


# Report -----------------------------------------------------------------------------------------


def trivial_view(port: int, clients: int, seconds: float) -> dict:
    """The trivial view's requests per second with ``clients`` keep-alive clients on this server."""
    import multiprocessing

    from bench.pages import load

    with multiprocessing.get_context("fork").Pool(2) as pool:
        return load(port, TRIVIAL_PATH, clients=clients, seconds=seconds, cookie=None, pool=pool)


def report(
    args,
    result: dict,
    proof: dict,
    races: list[dict],
    export: dict | None,
    pg_version: str,
    trivial: list[dict] | None = None,
) -> tuple[str, bool, bool]:
    """The section, whether the speed goal was met and whether the proof held (none lost, none
    doubled, no request failed, exactly one of each simultaneous pair stored)."""
    trivial = trivial or []
    trivial_per_second = spread([t["per_second"] for t in trivial])["median"] if trivial else 0.0
    trivial_errors = sum(t["errors"] for t in trivial)
    ratio = result["per_second"] / trivial_per_second if trivial_per_second else 0.0
    ok = ratio >= GOAL_RATIO
    lines = [
        SECTION_TITLE,
        "",
        measured_line(
            args.command,
            f"; PostgreSQL {pg_version}, gunicorn with {args.workers} sync workers, the production settings "
            "(DEBUG off), Redis as the cache and rate-limit counters every server process shares (CACHE_URL); "
            "server, database, Redis and load generator on the same machine",
        ),
        "",
        "| measure | value |",
        "|---|---|",
        f"| concurrent submitters (each with its own invitation codes) | {result['submitters']} |",
        f"| complete responses posted (8 questions, 12 answers each) | {result['ok'] + result['refused'] + result['errors']} |",
        f"| submissions per second | {result['per_second']:.0f} |",
        f"| the trivial view (`{TRIVIAL_PATH}`, no database), {result['submitters']} clients, requests per second "
        f"(before / after the submissions; {trivial_errors} failed) | "
        + " / ".join(f"{t['per_second']:.0f}" for t in trivial)
        + f" (median {trivial_per_second:.0f}) |",
        f"| **submissions per second, of the trivial view** (goal ≥ {GOAL_RATIO:g}) | **{ratio:.3f}** "
        f"(goal {verdict(ok)}) |",
        f"| latency p50 / p95 / p99 | {result['p50_ms']:.0f} / {result['p95_ms']:.0f} / {result['p99_ms']:.0f} ms |",
        f"| wall time | {result['elapsed']:.1f} s |",
        "",
        "None lost, none duplicated:",
        "",
        "| check | value |",
        "|---|---|",
        f"| successful submissions (303 to the thank-you page) | {result['ok']} |",
        f"| refused or failed requests | {result['refused']} refused, {result['errors']} failed |",
        f"| responses stored | {proof['responses']} |",
        f"| distinct dedupe keys | {proof['distinct_keys']} |",
        f"| invitation codes marked used | {proof['codes_used']} |",
        f"| answers stored (12 per response: {proof['answers_per_response']}) | {proof['answers']} |",
    ]
    for r in races:
        lines.append(
            f"| {r['label']}: {r['pairs']} × {r['copies']} simultaneous identical submissions | "
            f"exactly one stored for {r['exactly_one']} of {r['pairs']}; responses stored: {r['stored']} |"
        )
    proved = all([
        result["ok"] == proof["responses"] == proof["distinct_keys"] == proof["codes_used"],
        result["errors"] == 0, proof["answers"] == 12 * proof["responses"], trivial_errors == 0,
        all(r["exactly_one"] == r["pairs"] == r["stored"] for r in races),
    ])  # fmt: skip
    lines += ["", f"Proof: {'PASSED' if proved else 'FAILED'}."]
    if export:
        lines += [
            "",
            f"Export with constant memory: {export['answers']:,} answers in {export['rows']:,} responses "
            f"streamed to CSV ({export['bytes'] / 1e6:.0f} MB) in {export['seconds']:.1f} s; Python memory "
            f"peak (tracemalloc) {export['peak_bytes'] / 1e6:.1f} MB, process RSS growth "
            f"{export['rss_growth_kb'] / 1024:.1f} MB.",
        ]
    if not ok:
        lines += [
            "",
            f"Goal missed: {ratio:.3f} of the trivial view (goal ≥ {GOAL_RATIO:g}). Each submission is a "
            "transaction that writes a response, its answers and the invitation code's use in PostgreSQL, "
            "on the CPUs the load generator, gunicorn's workers and the database share on this machine.",
        ]
    return "\n".join(lines) + "\n", ok, proved


# Main -------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submitters", type=int, default=50)
    parser.add_argument("--per-submitter", type=int, default=120, help="responses each submitter posts")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers")
    parser.add_argument("--seconds", type=float, default=120, help="upper bound of the throughput run")
    parser.add_argument("--races", type=int, default=50, help="codes and accounts submitted twice at once")
    parser.add_argument("--trivial-seconds", type=float, default=10, help="each run of the trivial view")
    parser.add_argument("--export-answers", type=int, default=0, help="also export this many answers")
    parser.add_argument("--output", default=None, help=f"default {OUTPUT.name}; none with --smoke")
    parser.add_argument("--smoke", action="store_true", help="the small run for continuous integration")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args(argv)
    if args.smoke:
        args.per_submitter, args.races, args.trivial_seconds = 4, 5, 2.0
    output = Path(args.output) if args.output else (None if args.smoke else OUTPUT)
    args.command = "python -m bench.surveys " + " ".join(argv if argv is not None else sys.argv[1:])
    args.command = args.command.strip()

    port = pg_port()
    database_url = recreate_database(port, DB_NAME, DB_USER)
    var_dir = Path(tempfile.mkdtemp(prefix="civitas-bench-surveys-"))
    server = redis = None
    try:
        redis, cache_url = start_redis(var_dir)
        env = server_env(database_url, var_dir, cache_url)
        os.environ.update({k: v for k, v in env.items() if k not in ("LOG_LEVEL",)})
        prepare(env, ["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"])
        import django

        django.setup()
        from django.db import connection

        data = create_data(args.submitters * args.per_submitter, args.races)
        pg_version = server_version()
        connection.close()

        server, http_port = start_server(env, args.workers)
        # Warm up every worker (imports, templates, persistent database connections) on another survey.
        warm = throughput(http_port, data["warm-up"], 20, 10, 30)
        print(f"warm-up: {warm['ok']} submissions", flush=True)
        trivial = [trivial_view(http_port, args.submitters, args.trivial_seconds)]
        result = throughput(http_port, data["main"], args.submitters, args.per_submitter, args.seconds)
        trivial.append(trivial_view(http_port, args.submitters, args.trivial_seconds))
        print(json.dumps(result, indent=1), flush=True)
        print("trivial view: " + ", ".join(f"{t['per_second']:.0f}/s ({t['errors']} failed)" for t in trivial),
              flush=True)  # fmt: skip
        proof = stored(data["main"]["id"])

        from civitas.surveys.models import Response

        races = []
        for label, name, key in (
            ("same invitation code", "race", "codes"),
            ("same signed-in account", "accounts", "sessions"),
        ):
            survey = data[name]
            r = race(http_port, survey["path"], survey["fields"], **{key: survey[key]})
            r |= {"label": label, "stored": Response.objects.filter(survey_id=survey["id"]).count()}
            print(f"{label}: exactly one of {r['copies']} stored for {r['exactly_one']}/{r['pairs']}, "
                  f"stored {r['stored']}, outcomes {sorted(set(tuple(sorted(v)) for v in r['outcomes'].values()))}",
                  flush=True)  # fmt: skip
            r.pop("outcomes")
            races.append(r)

        export = export_run(data["warm-up"]["id"], args.export_answers) if args.export_answers else None
        if export:
            print(json.dumps(export, indent=1), flush=True)
        section, speed_ok, proved = report(args, result, proof, races, export, pg_version, trivial)
        print(section)
        if output is not None:
            write_section(output, SECTION_TITLE, section)
        return 0 if proved and (speed_ok or args.smoke) else 1
    finally:
        try:
            clean_up(server, port, None if args.keep_db else DB_NAME, var_dir)
        finally:
            stop_server(redis)


if __name__ == "__main__":
    sys.exit(main())
