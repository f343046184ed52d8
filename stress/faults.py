"""The faults injected while the load runs, each returning what was tried and what happened:
malformed and oversized requests, a task worker killed in the middle of a background import, a
PostgreSQL restart, and a full upload disk. Each outcome is a dict: ``fault``, ``tried``,
``happened``, ``ok`` (the run fails when one is not) and its ``start`` and ``end`` times."""

import errno
import http.client
import json
import os
import re
import select
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import requests

from bench.common import HOST, PG_VERSION, PYTHON, ROOT

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def outcome(fault: str, tried: str, happened: str, ok: bool, start: float, **extra) -> dict:
    return {"fault": fault, "tried": tried, "happened": happened, "ok": ok, "start": start,
            "end": time.time(), **extra}  # fmt: skip


# The task worker --------------------------------------------------------------------------------


class Worker:
    """``manage.py db_worker`` as a supervisor runs it: started again when it dies."""

    def __init__(self, env: dict, log: Path):
        self.env, self.log = env, log
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        with open(self.log, "a") as out:
            self.process = subprocess.Popen(
                [str(PYTHON), "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"],
                cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        self.starts += 1

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        if self.process is not None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.alive():
            assert self.process is not None
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


# HTTP helpers -----------------------------------------------------------------------------------


def signed_in(base: str, session: str) -> requests.Session:
    client = requests.Session()
    client.cookies.set("sessionid", session, domain=HOST)
    client.headers["Referer"] = base + "/"
    return client


def form_token(client: requests.Session, url: str) -> str:
    page = client.get(url, timeout=30)
    found = TOKEN.search(page.text)
    if page.status_code != 200 or found is None:
        raise RuntimeError(f"GET {url}: {page.status_code}, no form")
    return found.group(1)


def raw(port: int, data: bytes, *, body_chunks: int = 0, chunk: bytes = b"") -> tuple[int, bytes]:
    """Send bytes as they are (no client library tidies them), then up to ``body_chunks`` ×
    ``chunk``, stopping as soon as the server answers (a refusal before the body is read) or
    closes; the answer's status and first bytes (0 without one)."""
    answer = b""
    with socket.create_connection((HOST, port), timeout=30) as s:
        try:
            s.sendall(data)
            # A refusal on the headers alone comes at once: wait a moment for it before the body.
            waited = select.select([s], [], [], 1.0 if body_chunks else 0)[0]
            for _ in range(0 if waited else body_chunks):
                if select.select([s], [], [], 0)[0]:
                    break  # answered already
                s.sendall(chunk)
        except OSError:
            pass  # the server closed the connection: what it answered before counts
        try:
            while len(answer) < 65536:
                part = s.recv(65536)
                if not part:
                    break
                answer += part
        except OSError:
            pass
    match = re.match(rb"HTTP/1\.[01] (\d{3})", answer)
    return (int(match.group(1)) if match else 0), answer


# 1. Malformed and oversized requests --------------------------------------------------------------


def malformed(port: int, data: dict, max_request_bytes: int) -> list[dict]:
    """Requests no browser sends, to pages and to the API: each must be answered without a 5xx or a
    dropped connection — refused with a 4xx (413, with its page, for a body beyond the limit) or,
    for an absurd page number, the page that exists."""
    survey = data["survey"]["path"]
    api = f"/api/v1/indicators/{data['api'][0]['slots'][0][0]}/measurements"
    token = data["api"][0]["token"]
    host = f"Host: {HOST}:{port}\r\n"
    auth = f"Authorization: Bearer {token}\r\n"

    def request(method: str, path: str, headers: str = "", body: bytes = b"") -> bytes:
        length = f"Content-Length: {len(body)}\r\n" if body or method == "POST" else ""
        return f"{method} {path} HTTP/1.1\r\n{host}{headers}{length}Connection: close\r\n\r\n".encode() + body

    deep = b"[" * 100_000 + b"]" * 100_000
    cases: list[tuple[str, bytes, dict, Callable[[int, bytes], bool] | None]] = [
        ("body declared beyond the limit, to a page",
         f"POST /en{survey} HTTP/1.1\r\n{host}Content-Type: application/x-www-form-urlencoded\r\n"
         f"Content-Length: {max_request_bytes + 1}\r\nConnection: close\r\n\r\n".encode() + b"a=1&" * 256,
         {}, lambda s, a: s == 413 and "too large" in a.decode(errors="replace")),
        ("30 MB body really sent, to the API",
         f"POST {api} HTTP/1.1\r\n{host}{auth}Content-Type: application/json\r\n"
         f"Content-Length: {30 * 1024 * 1024}\r\nConnection: close\r\n\r\n".encode(),
         {"body_chunks": 480, "chunk": b" " * 65536}, lambda s, a: s == 413),
        ("chunked body without a length, to a page",
         f"POST {survey} HTTP/1.1\r\n{host}Transfer-Encoding: chunked\r\n"
         "Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n\r\n5\r\na=1&b\r\n0\r\n\r\n".encode(),
         {}, None),
        ("broken multipart, to a page",
         request("POST", survey, "Content-Type: multipart/form-data; boundary=xyz\r\n",
                 b"--xyz\r\nContent-Disposition: form-data; name=\"a\r\n\r\nnever closed"), {}, None),
        ("multipart without a boundary, to the API",
         request("POST", api, auth + "Content-Type: multipart/form-data\r\n", b"--\r\n\r\n"), {}, None),
        ("invalid UTF-8 in the address", request("GET", f"/{data['municipality']}/%FF%FE/plans/"), {}, None),
        ("raw non-UTF-8 bytes in the address",
         b"GET /" + data["municipality"].encode() + b"/\xff\xfe/ HTTP/1.1\r\n" + host.encode()
         + b"Connection: close\r\n\r\n", {}, None),
        ("invalid UTF-8 in the query, to the API", request("GET", "/api/v1/projects?municipality=%FF%FE"), {}, None),
        ("invalid UTF-8 in a JSON body, to the API",
         request("POST", api, auth + "Content-Type: application/json\r\n", b'{"year": 2001, "comment": "\xff\xfe"}'),
         {}, None),
        ("NUL in the address", request("GET", f"/{data['municipality']}/plans/%00/"), {}, None),
        ("NUL in the query, to a page", request("GET", f"/{data['municipality']}/projects/?q=%00&page=%00"), {}, None),
        ("NUL in the query, to the API", request("GET", "/api/v1/projects?search=a%00b"), {}, None),
        ("NUL in a JSON value, to the API",
         request("POST", api, auth + "Content-Type: application/json\r\n", b'{"year": 2001, "comment": "a\\u0000b"}'),
         {}, None),
        ("absurd page numbers",
         request("GET", f"/{data['municipality']}/projects/?page=99999999999999999999999999"), {}, None),
        ("absurd API paging", request("GET", "/api/v1/projects?limit=100000000000&offset=-5"), {}, None),
        ("a 16 KB query string", request("GET", "/api/v1/projects?search=" + "x" * 16384), {}, None),
        ("two hundred headers",
         request("GET", f"/{data['municipality']}/", "".join(f"X-H{i}: {i}\r\n" for i in range(200))), {}, None),
        ("JSON sent as text/plain, to the API",
         request("POST", api, auth + "Content-Type: text/plain\r\n", b'{"year": 2001, "value": 1}'), {}, None),
        ("a form sent to the API",
         request("POST", api, auth + "Content-Type: application/x-www-form-urlencoded\r\n", b"year=2001&value=1"),
         {}, None),
        ("XML sent to a page",
         request("POST", survey, "Content-Type: application/xml\r\n", b"<a><b>1</b></a>"), {}, None),
        ("a number beyond any range, to the API",
         request("POST", api, auth + "Content-Type: application/json\r\n", b'{"year": 2001, "value": 1e400}'),
         {}, None),
        ("JSON nested 100,000 deep, to the API",
         request("POST", api, auth + "Content-Type: application/json\r\n", deep), {}, None),
        ("a year beyond any column, to the API",
         request("POST", api, auth + "Content-Type: application/json\r\n", b'{"year": 99999999999, "value": 1}'),
         {}, None),
    ]  # fmt: skip
    results = []
    for label, payload, options, check in cases:
        start = time.time()
        status, answer = raw(port, payload, **options)
        ok = (check(status, answer) if check else 0 < status < 500) and status != 0
        results.append(
            outcome("malformed request", label, f"{status or 'no answer'}", ok, start, status=status)
        )
    return results


# 2. A task worker killed in the middle of an import ------------------------------------------------


def import_killed(base: str, data: dict, worker: Worker, wait_s: float = 240) -> dict:
    """Upload a file large enough for the background, kill the worker (SIGKILL) while the import
    runs, start a new one, and see the import through: all its rows stored once, or none and a
    failure its uploader can read."""
    from civitas.indicators.models import ImportJob, ImportJobState, Measurement

    start = time.time()
    spec = data["import"]
    client = signed_in(base, spec["session"])
    page = f"{base}/{data['municipality']}/manage/indicators/data/import/"
    token = form_token(client, page)
    response = client.post(
        page, data={"csrfmiddlewaretoken": token}, allow_redirects=False, timeout=60,
        files={"file": ("values.csv", spec["csv"].encode(), "text/csv")},
    )  # fmt: skip
    found = re.search(r"/data/import/(\d+)/$", response.headers.get("Location", ""))
    if response.status_code != 302 or found is None:
        return outcome("task worker killed during an import", f"import of {spec['rows']:,} rows",
                       f"the upload was not queued ({response.status_code})", False, start)  # fmt: skip
    job_id = int(found.group(1))
    killed_at = None
    job: dict = {}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = dict(ImportJob.objects.filter(pk=job_id).values("state", "rows_done").get())
        if job["state"] == ImportJobState.RUNNING and job["rows_done"] > 0:
            worker.kill()
            killed_at = job["rows_done"]
            break
        if job["state"] in (ImportJobState.DONE, ImportJobState.FAILED):
            break
        time.sleep(0.01)
    if killed_at is None:
        return outcome("task worker killed during an import", f"import of {spec['rows']:,} rows",
                       f"the import was {job['state']} before the worker could be killed", False, start)  # fmt: skip
    worker.start()
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        job = dict(ImportJob.objects.filter(pk=job_id).values("state", "saved", "report").get())
        if job["state"] in (ImportJobState.DONE, ImportJobState.FAILED):
            break
        time.sleep(0.5)
    stored = Measurement.objects.filter(indicator__code__startswith=spec["prefix"]).count()
    distinct = (
        Measurement.objects.filter(indicator__code__startswith=spec["prefix"])
        .values("comment").distinct().count()
    )  # fmt: skip
    shown = client.get(
        f"{base}/en/{data['municipality']}/manage/indicators/data/import/{job_id}/", timeout=30
    )
    took = time.time() - start
    if job["state"] == ImportJobState.DONE:
        ok = stored == distinct == spec["rows"] == job["saved"] and shown.status_code == 200
        happened = (f"killed at {killed_at:,} rows checked; the new worker ran it again: done, {stored:,} of "
                    f"{spec['rows']:,} rows stored ({distinct:,} distinct) in {took:.0f} s")  # fmt: skip
    elif job["state"] == ImportJobState.FAILED:
        message = "; ".join(str(e.get("message")) for e in job["report"])[:200]
        ok = stored == 0 and bool(message) and shown.status_code == 400
        happened = f"killed at {killed_at:,} rows; failed, {stored} rows stored; its page says: {message}"
    else:
        ok = False
        happened = (
            f"killed at {killed_at:,} rows; still {job['state']} after {wait_s:.0f} s ({stored} rows stored)"
        )
    return outcome("task worker killed during an import", f"SIGKILL to the worker importing {spec['rows']:,} rows",
                   happened, ok, start, job=job_id, rows_stored=stored)  # fmt: skip


# 3. PostgreSQL restarted ------------------------------------------------------------------------


def readyz(port: int) -> int:
    try:
        conn = http.client.HTTPConnection(HOST, port, timeout=5)
        conn.request("GET", "/readyz")
        return conn.getresponse().status
    except OSError:
        return 0


def postgres_restart(port: int, worker: Worker, cluster: str, bound_s: float = 30) -> dict:
    """``pg_ctlcluster restart`` while requests flow, /readyz asked every 0.2 s meanwhile: it must
    say "not ready" while the database is away and be ready again within ``bound_s`` of the
    restart's end without anyone touching the app servers; the task worker must live on."""
    start = time.time()
    restart = subprocess.Popen(
        ["pg_ctlcluster", PG_VERSION, cluster, "restart"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )  # fmt: skip
    during: list[int] = []
    while restart.poll() is None:
        during.append(readyz(port))
        time.sleep(0.2)
    restarted = time.time()
    if restart.returncode != 0:
        error = (restart.stderr.read() if restart.stderr else "")[:200]
        return outcome(
            "PostgreSQL restarted", "pg_ctlcluster restart", f"could not restart: {error}", False, start
        )
    ready_at = None
    deadline = time.monotonic() + bound_s
    while time.monotonic() < deadline:
        if readyz(port) == 200:
            ready_at = time.time()
            break
        time.sleep(0.2)
    time.sleep(5)  # the worker polls the queue: give it time to meet the new server
    worker_lived = worker.alive()
    if not worker_lived:
        worker.start()  # as systemd would (Restart=always); reported
    not_ready = sum(1 for s in during if s == 503)
    if ready_at is None:
        happened = f"/readyz not ready {bound_s:.0f} s after the restart"
    else:
        happened = (f"restart took {restarted - start:.1f} s, during which /readyz answered 503 (not ready) "
                    f"{not_ready} of {len(during)} times; ready {ready_at - restarted:.1f} s after it, by itself; "
                    "task worker " + ("kept running" if worker_lived else "EXITED and was started again"))  # fmt: skip
    return outcome(
        "PostgreSQL restarted", f"pg_ctlcluster {PG_VERSION} {cluster} restart under load", happened,
        ready_at is not None and worker_lived, start, ready_s=(ready_at - restarted) if ready_at else None,
    )  # fmt: skip


# 4. The upload disk full ------------------------------------------------------------------------


def mount_small_disk(path: Path, megabytes: int = 16) -> str | None:
    """A small tmpfs for the uploads; None when it is mounted, else why the step is skipped."""
    if os.geteuid() != 0:
        return "not run as root: a small filesystem for the uploads cannot be mounted"
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m,mode=0755", "civitas-stress-media", str(path)],
        capture_output=True, text=True,
    )  # fmt: skip
    if result.returncode != 0:
        return f"mounting a tmpfs failed: {result.stderr.strip()[:200]}"
    return None


def unmount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


def disk_full(base: str, data: dict, media: Path) -> dict:
    """Fill the upload filesystem, upload a value's evidence (refused with a clear message, nothing
    saved), free the space, upload again (saved)."""
    from civitas.indicators.models import Measurement

    start = time.time()
    spec = data["upload"]
    client = signed_in(base, spec["session"])
    page = f"{base}/en/{data['municipality']}/manage/indicators/indicator/{spec['code']}/value/"
    filler = media / "filler.bin"
    written = 0
    with open(filler, "wb") as out:
        try:
            while True:
                out.write(b"\0" * (1024 * 1024))
                out.flush()
                written += 1
        except OSError as error:
            if error.errno != errno.ENOSPC:
                raise
    evidence = b"%PDF-1.4\n" + os.urandom(256 * 1024)

    def upload(year: int):
        token = form_token(client, f"{page}?period={year}")
        return client.post(
            page, allow_redirects=False, timeout=60,
            data={"csrfmiddlewaretoken": token, "period": str(year), "value": "7", "comment": f"upload-{year}",
                  "action": "draft"},
            files={"evidence": ("report.pdf", evidence, "application/pdf")},
        )  # fmt: skip

    full = upload(2001)
    message = "storage is full. Nothing was saved."
    refused_clearly = full.status_code == 507 and message in full.text.replace("&#x27;", "'")
    saved_anyway = Measurement.objects.filter(indicator_id=spec["indicator"], year=2001).exists()
    try:
        filler.unlink()
    except OSError:
        pass
    again = upload(2002)
    stored = Measurement.objects.filter(indicator_id=spec["indicator"], year=2002).first()
    recovered = (
        again.status_code == 302 and stored is not None and bool(stored.evidence.name)
        and (media / str(stored.evidence.name)).exists()
    )  # fmt: skip
    happened = (f"disk filled ({written} MB); evidence upload answered {full.status_code}"
                f"{' with the translated “storage is full, nothing was saved” page' if refused_clearly else ''}"
                f"{', but the value was SAVED' if saved_anyway else ', nothing saved'}; space freed: the same upload "
                f"answered {again.status_code}{' and was stored' if recovered else ' and was NOT stored'}")  # fmt: skip
    return outcome("upload disk full", "tmpfs filled, then a value's evidence uploaded", happened,
                   refused_clearly and not saved_anyway and recovered, start, status=full.status_code)  # fmt: skip


def as_json(results: list[dict]) -> str:
    return json.dumps(results, indent=1, default=str)
