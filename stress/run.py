"""Load and fault test: a sustained mixed load on a production server while faults are injected,
then proof that nothing accepted was lost or doubled and that the service recovered by itself.

    .venv/bin/python -m stress [--seconds 240] [--readers 20] [--citizens 10] [--staff 4] [--api 4]
                               [--workers 4] [--smoke] [--keep-db]

What it does, on this machine only (loopback):

1. creates a PostgreSQL 15 cluster of its own (``civitas_stress``, as root; dropped afterwards),
   so that restarting it disturbs no other database, and in it the database ``civitas_stress``,
   migrates it, and creates the scenario (stress/scenario.py): the survey of bench.surveys with
   one invitation code per response, a plan whose indicators give every writer periods of its
   own, staff sessions past the second factor, API tokens and a measurements file for the
   background; the uploads go to a 16 MB tmpfs (as root; else the disk-full step is skipped);
2. starts gunicorn (``civitas.wsgi``, DEBUG off) and a task worker (``manage.py db_worker``,
   tasks in the database), and runs Locust headless (stress/locustfile.py) for ``--seconds``:
   readers, citizens answering the survey, staff entering values, API clients posting values;
3. meanwhile injects, each timed: malformed and oversized requests; a SIGKILL to the task worker
   in the middle of a background import (a new worker is started); ``pg_ctlcluster 15
   civitas_stress restart``; the upload disk filled, then an upload;
4. checks, and fails the run when one does not hold: every accepted write (survey response,
   value saved in the back office, value posted to the API) stored exactly once; the import
   either all stored or none and shown failed; /readyz ready again within 30 s of the restart;
   the full-disk upload refused with a clear message and nothing saved; no 5xx for a malformed
   request and none outside the fault windows;
5. writes "## Load and faults" in BENCHMARKS.md (bench.common.write_section).

``--smoke``: the same steps with a small load for 45 s, for CI: 5 minutes in all on a shared 2-CPU
machine, of which migrating and collecting the static files took nearly 4 (the default run: 8–10
minutes).
"""

import argparse
import csv
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.common import (
    HOST,
    OUTPUT,
    PG_VERSION,
    PYTHON,
    ROOT,
    clean_up,
    cluster_port,
    free_port,
    machine,
    measured_line,
    recreate_database,
    server_env,
    server_version,
    start_server,
    stop_server,
    write_section,
)
from stress import faults

DB_NAME = "civitas_stress"
# A PostgreSQL cluster of the run's own, so that restarting it disturbs no other database of the
# machine; created (as root) when missing and dropped afterwards.
CLUSTER = "civitas_stress"
SECTION_TITLE = "## Load and faults"
LOCUST = ROOT / ".venv" / "bin" / "locust"
READY_BOUND_S = 30
# When each fault starts, as a share of the load's duration.
SCHEDULE = {"malformed": 0.10, "import": 0.20, "postgres": 0.45, "disk": 0.70}
# A 5xx within this many seconds after a fault's end still counts as the fault's.
WINDOW_AFTER_S = 5


def parse(argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=240, help="how long the load runs")
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--citizens", type=int, default=10)
    parser.add_argument("--staff", type=int, default=4)
    parser.add_argument("--api", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--import-rows", type=int, default=10000, help="rows of the file killed mid-import")
    parser.add_argument("--smoke", action="store_true", help="a small load for 45 s (CI)")
    parser.add_argument("--output", default=str(OUTPUT))
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args(argv)
    if args.smoke:
        args.seconds, args.readers, args.citizens, args.staff, args.api = 45, 6, 4, 2, 2
        args.workers, args.import_rows = 3, 5000
    args.command = ("python -m stress " + " ".join(argv)).strip()
    return args


# PostgreSQL ---------------------------------------------------------------------------------------


def own_cluster() -> tuple[int, bool]:
    """The port of the run's own PostgreSQL 15 cluster, created and started when needed, and
    whether it was created here (then it is dropped at the end)."""
    port = cluster_port(PG_VERSION, CLUSTER)
    if port is not None:
        return port, False
    if os.geteuid() != 0:
        raise SystemExit("make stress creates and restarts a PostgreSQL cluster of its own: run it as root")
    subprocess.run(
        ["pg_createcluster", PG_VERSION, CLUSTER, "--port", str(free_port()), "--start", "--",
         "--auth-local=peer", "--auth-host=scram-sha-256"],
        check=True, capture_output=True,
    )  # fmt: skip
    return own_cluster()[0], True


def drop_cluster() -> None:
    subprocess.run(["pg_dropcluster", PG_VERSION, CLUSTER, "--stop"], capture_output=True)


# The load ---------------------------------------------------------------------------------------


def start_locust(args, port: int, config: Path, records: Path, stats: Path) -> subprocess.Popen:
    users = args.readers + args.citizens + args.staff + args.api
    env = os.environ | {"STRESS_CONFIG": str(config), "STRESS_RECORDS": str(records)}
    return subprocess.Popen(
        [str(LOCUST), "-f", str(ROOT / "stress" / "locustfile.py"), "--headless", "--only-summary",
         "-u", str(users), "-r", str(max(1, users // 2)), "-t", f"{int(args.seconds)}s",
         "--host", f"http://{HOST}:{port}", "--csv", str(stats), "--loglevel", "WARNING", "--stop-timeout", "10",
         "--exit-code-on-error", "0"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip


def preflight(port: int, data: dict) -> None:
    """Every page and list the readers read answers 200 before the load starts."""
    for name, path in data["pages"] + data["api_lists"]:
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        conn.request("GET", path)
        code = conn.getresponse().status
        if code != 200:
            raise SystemExit(f"{name} ({path}) answers {code} before the load: the scenario is broken")


def read_stats(stats: Path) -> list[dict]:
    with open(f"{stats}_stats.csv", newline="") as f:
        return list(csv.DictReader(f))


def read_records(records: Path) -> list[dict]:
    if not records.exists():
        return []
    return [json.loads(line) for line in records.read_text().splitlines() if line.strip()]


# Proofs -----------------------------------------------------------------------------------------


def writes_proof(records: list[dict], data: dict) -> list[dict]:
    """For each kind of write: accepted ones stored exactly once, none stored twice."""
    from django.db.models import Count

    from civitas.indicators.models import Measurement
    from civitas.surveys.models import Answer, Response

    answers = Counter(
        dict(
            Answer.objects.filter(question_id=data["survey"]["marker_question"])
            .values_list("text")
            .annotate(n=Count("id"))
            .values_list("text", "n")
        )
    )
    comments = Counter(
        dict(
            Measurement.objects.filter(comment__regex=r"^(staff|api)-")
            .values_list("comment")
            .annotate(n=Count("id"))
            .values_list("comment", "n")
        )
    )
    responses = Response.objects.filter(survey_id=data["survey"]["id"]).count()
    out = []
    for kind, label, stored in (
        ("survey", "survey responses (303 to the thank-you page)", answers),
        ("staff", "values saved in the back office form (302 back to the indicator)", comments),
        ("api", "values posted to the API (201/200)", comments),
    ):
        mine = [r for r in records if r["kind"] == kind]
        accepted = [r["marker"] for r in mine if r["accepted"]]
        lost = sum(1 for m in accepted if stored.get(m, 0) == 0)
        doubled = sum(1 for r in mine if stored.get(r["marker"], 0) > 1)
        unconfirmed = sum(1 for r in mine if not r["accepted"] and stored.get(r["marker"], 0) == 1)
        refused = Counter(r["status"] for r in mine if not r["accepted"])
        out.append({
            "kind": label, "attempted": len(mine), "accepted": len(accepted), "lost": lost, "doubled": doubled,
            "unconfirmed_stored": unconfirmed, "refused": dict(sorted(refused.items())),
            "ok": lost == 0 and doubled == 0,
        })  # fmt: skip
    survey_ok = responses == sum(answers.values()) == len(answers)  # one marker per stored response
    out[0]["ok"] = out[0]["ok"] and survey_ok
    out[0]["stored_total"] = responses
    return out


def errors_by_window(records: list[dict], results: list[dict]) -> tuple[dict, list[dict]]:
    """The load's 5xx and unanswered requests, by the fault whose window they fall in."""
    windows = [(r["fault"], r["start"] - 1, r["end"] + WINDOW_AFTER_S) for r in results]
    counts: Counter = Counter()
    outside = []
    for r in records:
        if r["kind"] != "error":
            continue
        # The latest fault that began before it (one fault's margin may reach into the next).
        fault = next((name for name, start, end in reversed(windows) if start <= r["t"] <= end), None)
        counts[(fault or "no fault", r["status"] or r.get("error") or "no answer")] += 1
        if fault is None:
            outside.append(r)
    by_fault: dict[str, dict] = {}
    for (fault, status), n in counts.items():
        by_fault.setdefault(fault, {})[str(status)] = n
    return by_fault, outside


def unclear_errors(by_fault: dict) -> str:
    """The load's failures that were not a clear answer: a 503 ("briefly unavailable, try again")
    is one while PostgreSQL restarts; a 500 or no answer never is. Empty when there were none."""
    unclear = []
    for fault, statuses in by_fault.items():
        for status, n in statuses.items():
            if not (status == "503" and fault == "PostgreSQL restarted"):
                unclear.append(f"{n} × {status} during “{fault}”")
    return "; ".join(unclear)


def leftover_tasks() -> int:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count()


# Report -----------------------------------------------------------------------------------------


def section(args, pg: str, stats: list[dict], proof: list[dict], results: list[dict], by_fault: dict,
            skipped: list[str], elapsed: float, load_started: float, load_average: tuple, verdict: bool) -> str:  # fmt: skip
    total = next((s for s in stats if s["Name"] == "Aggregated"), None)
    lines = [
        SECTION_TITLE,
        "",
        measured_line(
            args.command,
            f"; PostgreSQL {pg}, gunicorn with {args.workers} sync workers and one task worker "
            "(`manage.py db_worker`, tasks in the database), the production settings (DEBUG off); Locust "
            "on the same machine",
        ),
        "",
        f"The mix, for {args.seconds:.0f} s: {args.readers} anonymous readers (public pages and the API's "
        f"lists, 0.2–1 s between requests), {args.citizens} citizens answering a survey (each response with "
        f"its own invitation code), {args.staff} staff entering values in the back office form (signed in, "
        f"second factor passed), {args.api} API clients posting values with a personal token. The load "
        "comes from one address, so the anonymous API limit is off for the run "
        "(CIVITAS_API_ANONYMOUS_PER_MINUTE=0). Latencies include the faults.",
        "",
        "| requests | count | failed | per second | p50 | p95 | p99 | max |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in sorted(stats, key=lambda s: (s["Name"] == "Aggregated", s["Name"])):
        name = "**all**" if s["Name"] == "Aggregated" else s["Name"]
        lines.append(
            f"| {name} | {s['Request Count']} | {s['Failure Count']} | {float(s['Requests/s']):.1f} | "
            f"{s['50%']} ms | {s['95%']} ms | {s['99%']} ms | {float(s['Max Response Time']):.0f} ms |"
        )
    if total:
        lines += [
            "",
            f"In all {float(total['Requests/s']):.0f} requests/s over {elapsed:.0f} s; the machine's load average "
            f"was {load_average[0]:.1f} before the load and {load_average[1]:.1f} during it ({os.cpu_count()} "
            "CPUs; a load well above the run's own means other work shared the machine and the latencies "
            "say more about it than about Civitas).",
        ]
    lines += [
        "",
        "Every accepted write stored exactly once (each carries a unique marker: the survey's one-word "
        "answer, the value's comment):",
        "",
        "| writes | attempted | accepted | lost | doubled | not confirmed but stored | refused (status: count) |",
        "|---|---|---|---|---|---|---|",
    ]
    for p in proof:
        refused = ", ".join(f"{k}: {v}" for k, v in p["refused"].items()) or "none"
        lines.append(
            f"| {p['kind']} | {p['attempted']} | {p['accepted']} | {p['lost']} | {p['doubled']} | "
            f"{p['unconfirmed_stored']} | {refused} |"
        )
    lines += [
        "",
        "What was tried and what happened, at seconds from the load's start (5xx and unanswered requests "
        f"of the load counted in each fault's window, up to {WINDOW_AFTER_S} s after it):",
        "",
        "| at | fault | tried | what happened | load's 5xx / no answer | verdict |",
        "|---|---|---|---|---|---|",
    ]
    shown_faults = set()
    for r in results:
        errors = ""
        if r["fault"] not in shown_faults:
            errors = ", ".join(f"{k}: {v}" for k, v in by_fault.get(r["fault"], {}).items()) or "none"
            shown_faults.add(r["fault"])
        lines.append(f"| {r['start'] - load_started:+.0f} s | {r['fault']} | {r['tried']} | {r['happened']} | {errors} | "
                     f"{'as required' if r['ok'] else '**FAILED**'} |")  # fmt: skip
    for reason in skipped:
        lines.append(f"| — | upload disk full | — | skipped: {reason} | — | skipped |")
    outside_text = ", ".join(f"{k}: {v}" for k, v in by_fault.get("no fault", {}).items()) or "none"
    lines += [
        "",
        f"5xx or unanswered requests outside the faults' windows: {outside_text}.",
        "",
        f"Result: {'PASSED' if verdict else 'FAILED'}.",
    ]
    return "\n".join(lines) + "\n"


# Main -------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse(argv)
    started = time.monotonic()
    port, created = own_cluster()
    print(f"PostgreSQL cluster {CLUSTER} ready after {time.monotonic() - started:.0f} s", flush=True)
    database_url = recreate_database(port, DB_NAME)
    var_dir = Path(tempfile.mkdtemp(prefix="civitas-stress-"))
    media = var_dir / "media"
    media.mkdir()
    skipped: list[str] = []
    disk_reason = faults.mount_small_disk(media)
    if disk_reason:
        print(f"upload disk full: skipped, {disk_reason}", flush=True)
        skipped.append(disk_reason)
    env = server_env(database_url, var_dir) | {
        "MEDIA_ROOT": str(media),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "CIVITAS_API_ANONYMOUS_PER_MINUTE": "0",
    }
    os.environ.update({k: v for k, v in env.items() if k != "LOG_LEVEL"})
    server = locust = None
    worker = faults.Worker(env, var_dir / "worker.log")
    try:
        # Both at once: each is mostly one process's work.
        steps = [
            subprocess.Popen([str(PYTHON), "manage.py", *command, "--noinput", "-v", "0"], cwd=ROOT, env=env)
            for command in (["migrate"], ["collectstatic"])
        ]
        if any(step.wait() != 0 for step in steps):
            raise SystemExit("migrate or collectstatic failed")
        print(f"database migrated after {time.monotonic() - started:.0f} s", flush=True)
        import django

        django.setup()
        from django.conf import settings
        from django.db import connection

        from stress import scenario

        slots = max(50, int(args.seconds * 1.2))  # more periods than a writer can fill in the time
        data = scenario.create(
            codes=max(200, int(args.citizens * args.seconds * 1.5)), staff=args.staff, api_clients=args.api,
            slots_each=slots, import_rows=args.import_rows,
        )  # fmt: skip
        data["users"] = {
            "readers": args.readers,
            "citizens": args.citizens,
            "staff": args.staff,
            "api": args.api,
        }
        pg = server_version()
        connection.close()
        print(f"scenario ready after {time.monotonic() - started:.0f} s", flush=True)

        server, http_port = start_server(env, args.workers)
        worker.start()
        preflight(http_port, data)
        config, records, stats = var_dir / "config.json", var_dir / "records.jsonl", var_dir / "locust"
        config.write_text(json.dumps(data))
        base = f"http://{HOST}:{http_port}"
        load_before = os.getloadavg()[0]
        locust = start_locust(args, http_port, config, records, stats)
        load_start = time.monotonic()
        load_started = time.time()

        def at(share: float) -> None:
            time.sleep(max(0.0, load_start + share * args.seconds - time.monotonic()))

        results: list[dict] = []
        at(SCHEDULE["malformed"])
        results += faults.malformed(http_port, data, settings.CIVITAS_MAX_REQUEST_BYTES)
        print(
            f"malformed requests: {sum(r['ok'] for r in results)}/{len(results)} refused cleanly", flush=True
        )
        at(SCHEDULE["import"])
        results.append(faults.import_killed(base, data, worker))
        connection.close()
        print(results[-1]["happened"], flush=True)
        at(SCHEDULE["postgres"])
        results.append(faults.postgres_restart(http_port, worker, CLUSTER, READY_BOUND_S))
        connection.close()
        print(results[-1]["happened"], flush=True)
        if not disk_reason:
            at(SCHEDULE["disk"])
            results.append(faults.disk_full(base, data, media))
            print(results[-1]["happened"], flush=True)
        load_after = os.getloadavg()[0]
        locust.wait(timeout=args.seconds + 120)
        elapsed = time.monotonic() - load_start
        time.sleep(2)  # the worker's last tasks

        record_list = read_records(records)
        proof = writes_proof(record_list, data)
        by_fault, outside = errors_by_window(record_list, results)
        leftover = leftover_tasks()
        if leftover:
            results.append(faults.outcome("tasks left running", "after the load", f"{leftover} tasks RUNNING",
                                          False, time.time()))  # fmt: skip
        unclear = unclear_errors(by_fault)
        if unclear:
            results.append(
                faults.outcome("errors shown", "every 5xx of the load", unclear, False, time.time())
            )
        stat_rows = read_stats(stats)
        verdict = all(r["ok"] for r in results) and all(p["ok"] for p in proof) and not outside
        text = section(
            args, pg, stat_rows, proof, results, by_fault, skipped, elapsed, load_started, (load_before, load_after),
            verdict,
        )  # fmt: skip
        print(text, flush=True)
        for p in proof:
            print(
                f"{p['kind']}: {p['accepted']} accepted, {p['lost']} lost, {p['doubled']} doubled", flush=True
            )
        write_section(Path(args.output), SECTION_TITLE, text)
        print(f"stress run took {time.monotonic() - started:.0f} s in all on {machine()}", flush=True)
        return 0 if verdict else 1
    finally:
        if locust is not None and locust.poll() is None:
            locust.terminate()
            locust.wait(timeout=30)
        worker.stop()
        stop_server(server)
        if not disk_reason:
            faults.unmount(media)
        clean_up(None, port, None if args.keep_db else DB_NAME, var_dir)
        if created and not args.keep_db:
            drop_cluster()


if __name__ == "__main__":
    sys.exit(main())
