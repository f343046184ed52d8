"""What every benchmark needs: the machine's PostgreSQL, a private Redis, a production server, a
load generator's HTTP client, figures over repeated runs, and BENCHMARKS.md, whose sections each
benchmark replaces on its own."""

import datetime
import http.client
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"
# A role of the benchmarks' own, with a new random password each run: a deployed site's role
# (e.g. "civitas") is never touched.
DB_USER = "civitas_bench"
DB_PASSWORD = secrets.token_hex(16)
PG_VERSION, PG_CLUSTER = "15", "main"
OUTPUT = ROOT / "BENCHMARKS.md"


# PostgreSQL ---------------------------------------------------------------------------------------


def _as_postgres(*command: str, input: str | None = None) -> str:
    prefix = [] if os.geteuid() != 0 else ["runuser", "-u", "postgres", "--"]
    result = subprocess.run(
        prefix + list(command), input=input, capture_output=True, text=True, cwd="/", check=True
    )
    return result.stdout


def cluster_port(version: str, name: str) -> int | None:
    """The port of the PostgreSQL cluster ``version``/``name``, started if it is down; None if the
    machine has no such cluster."""
    out = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        found_version, found_name, port, status, *_rest = line.split()
        if (found_version, found_name) == (version, name):
            if status != "online":
                subprocess.run(["pg_ctlcluster", version, name, "start"], check=True)
            return int(port)
    return None


def pg_port() -> int:
    """The port of the machine's PostgreSQL 15 cluster, started if it is down."""
    port = cluster_port(PG_VERSION, PG_CLUSTER)
    if port is None:
        raise SystemExit(f"PostgreSQL {PG_VERSION}/{PG_CLUSTER} not found: create it with pg_createcluster")
    return port


def recreate_database(port: int, name: str, user: str = DB_USER, template: str = "template0") -> str:
    """An empty database ``name`` owned by the role ``user`` (the benchmarks' own, given a new
    password here: a benchmark running beside another takes its own role, so as not to change the
    other's password under it), or a copy of the database ``template``; returns its DATABASE_URL."""
    for _ in range(30):
        if subprocess.run(["pg_isready", "-q", "-h", HOST, "-p", str(port)]).returncode == 0:
            break
        time.sleep(1)
    _as_postgres(
        "psql", "-p", str(port), "-v", "ON_ERROR_STOP=1", "-q",
        input=f"""
SELECT 'CREATE ROLE {user}' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{user}')\\gexec
ALTER ROLE {user} WITH LOGIN PASSWORD '{DB_PASSWORD}';
DROP DATABASE IF EXISTS {name} WITH (FORCE);
CREATE DATABASE {name} OWNER {user} ENCODING 'UTF8' TEMPLATE {template};
""",
    )  # fmt: skip
    return f"postgres://{user}:{DB_PASSWORD}@{HOST}:{port}/{name}"


def drop_database(port: int, name: str) -> None:
    _as_postgres("psql", "-p", str(port), "-q", "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def server_version() -> str:
    from django.db import connection

    number = connection.cursor().connection.info.server_version
    return f"{number // 10000}.{number % 10000}"


# Redis ------------------------------------------------------------------------------------------


def start_redis(var_dir: Path) -> tuple[subprocess.Popen, str]:
    """A private Redis on a free loopback port, in memory only (nothing saved, no append-only
    file), as the cache every server process shares; returns it and its CACHE_URL. With CACHE_URL
    set, the settings turn CIVITAS_SHARED_CACHE on: a cached public page costs no database query."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(binary).exists():
        raise SystemExit("redis-server not found: install it (Debian: apt-get install -y redis-server)")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no",
         "--dir", str(var_dir), "--loglevel", "warning"],
        stdout=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"redis-server exited with {process.returncode}")
        try:
            with socket.create_connection((HOST, port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return process, f"redis://{HOST}:{port}/0"
        except OSError:
            time.sleep(0.1)
    stop_server(process)
    raise SystemExit("redis-server did not answer PING")


# The server -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def server_env(database_url: str, var_dir: Path, cache_url: str | None = None) -> dict:
    """The production settings (DEBUG off) on the benchmark's database; with ``cache_url`` (Redis),
    the cache and rate-limit counters every server process shares."""
    return (
        os.environ
        | ({"CACHE_URL": cache_url} if cache_url else {})
        | {
            "DJANGO_SETTINGS_MODULE": "civitas.settings",
            "DATABASE_URL": database_url,
            "DATABASE_CONN_MAX_AGE": "600",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "DEBUG": "0",
            "ALLOWED_HOSTS": HOST,
            "CIVITAS_VAR_DIR": str(var_dir),
            "STATIC_ROOT": str(var_dir / "static"),
            "LOG_LEVEL": "ERROR",
        }
    )


def prepare(env: dict, *commands: list[str]) -> None:
    """Run manage.py commands (migrate, collectstatic, …) with the benchmark's settings."""
    for command in commands:
        subprocess.run([str(PYTHON), "manage.py", *command], cwd=ROOT, env=env, check=True)


def start_server(env: dict, workers: int) -> tuple[subprocess.Popen, int]:
    """gunicorn with ``workers`` sync workers on a free loopback port, answering /healthz."""
    port = free_port()
    process = subprocess.Popen(
        [str(GUNICORN), "civitas.wsgi:application", "--bind", f"{HOST}:{port}", "--workers", str(workers),
         "--backlog", "2048", "--timeout", "60"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process, port
        except OSError:
            time.sleep(0.2)
    stop_server(process)
    raise SystemExit("gunicorn did not answer /healthz")


def stop_server(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def clean_up(server, port: int, database: str | None, var_dir: Path) -> None:
    """Stop the server, close Django's connections, drop the database (unless kept: None) and
    remove the temporary folder, whatever state the run ended in."""
    stop_server(server)
    try:
        from django.db import connections

        connections.close_all()
    except Exception:  # noqa: BLE001 - Django may not be set up yet
        pass
    if database:
        drop_database(port, database)
    shutil.rmtree(var_dir, ignore_errors=True)


# Figures and the report -------------------------------------------------------------------------


def percentile(sorted_values: list[float], p: float) -> float:
    """The p-th quantile (0–1) of already sorted values, nearest rank."""
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(p * len(sorted_values)))]


def spread(values: list[float]) -> dict[str, float]:
    """The median and the range of one figure over repeated runs."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def with_spread(values: list[float], fmt: str = "{:.0f}", unit: str = "") -> str:
    """ "median (min–max)" of repeated runs, or the one value of a single run."""
    s = spread(values)
    if len(values) == 1:
        return fmt.format(s["median"]) + unit
    return f"{fmt.format(s['median'])}{unit} ({fmt.format(s['min'])}–{fmt.format(s['max'])})"


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def machine() -> str:
    cpus = os.cpu_count()
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        model = "unknown CPU"
    mem = ""
    try:
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        kb = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{cpus} CPU ({model}){mem}"


def measured_line(command: str, extra: str = "") -> str:
    now = datetime.datetime.now(datetime.UTC)
    return f"Measured {now:%Y-%m-%d %H:%M} UTC by `{command}` on {machine()}{extra}."


def write_section(path: Path, title: str, section: str) -> None:
    """Replace (or add) one benchmark's section of BENCHMARKS.md, keeping every other section.
    The file is read right before it is written, so that other benchmarks keep theirs."""
    text = path.read_text() if path.exists() else HEADER
    pattern = re.compile(rf"^{re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section.rstrip("\n") + "\n\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text.rstrip("\n") + "\n")


def remove_section(path: Path, title: str) -> None:
    """Drop a section a benchmark no longer writes (renamed), keeping every other one."""
    if not path.exists():
        return
    text = path.read_text()
    pattern = re.compile(rf"^{re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        path.write_text(pattern.sub("", text).rstrip("\n") + "\n")


HEADER = """# Benchmarks

Written by `make bench` (each section by its own benchmark, which replaces only its section).
Every figure comes from a production server — gunicorn, DEBUG off, PostgreSQL 15 — on the machine
named in the section, with the load generator on the same machine; numbers from another machine
are not comparable.
"""
