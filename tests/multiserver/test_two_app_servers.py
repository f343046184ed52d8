"""Two app servers, one task worker, one PostgreSQL database and one Redis, as on a site that runs
on several machines: what is changed through one server is seen at once through the other, and
work queued through either is done by the worker.

Everything is a separate process with the production settings (DEBUG off, CACHE_URL,
TASKS_BACKEND=django_tasks_db.DatabaseBackend, one SECRET_KEY; static files as in the tests): Redis on a free port, the
database ``civitas_multiserver_<pid>`` on the PostgreSQL server of DATABASE_URL (migrated, with
the Sopot demo), server A, server B (which reads public pages through the read-replica router,
its "replica" being the same database) and ``manage.py db_worker``. The test speaks to them
only over HTTP and reads the database only to see what the worker did.

    DATABASE_URL=postgres://civitas:civitas@127.0.0.1:5432/civitas CIVITAS_TESTING=1 \\
        .venv/bin/python -m pytest -m multiserver tests/multiserver
"""

import http.client
import http.cookies
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytestmark = pytest.mark.multiserver

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
HOST = "127.0.0.1"
DEMO_PASSWORD = "sopot-demo-2014"
REPLICA_NAME = "civitas_replica"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_until(check, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{what} did not happen within {seconds} s")


# An HTTP client with cookies and forms -----------------------------------------------------------


class Forms(HTMLParser):
    """The forms of a page: each one's action, method and the fields a browser would send."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"action": a.get("action") or "", "method": (a.get("method") or "get"), "fields": []}
            )
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            fields.append((name, a.get("value") or ("on" if a.get("type") == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea = name
            fields.append((name, ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            fields.append((self._select, a.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            fields = self.forms[-1]["fields"]
            name, value = fields[-1]
            fields[-1] = (name, value + data)


@dataclass
class Browser:
    """One visitor of one server: keeps its cookies, follows no redirect by itself."""

    port: int
    cookies: dict = field(default_factory=dict)

    def request(self, method: str, path: str, body: list | None = None) -> tuple[int, dict, str]:
        headers = {"Host": HOST}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
        conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            conn.request(method, path, data, headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for value in response.headers.get_all("Set-Cookie") or []:
                jar = http.cookies.SimpleCookie(value)
                for key, morsel in jar.items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(key, None)
                    else:
                        self.cookies[key] = morsel.value
            return response.status, dict(response.headers), text
        finally:
            conn.close()

    def get(self, path: str) -> tuple[int, str]:
        status, _headers, text = self.request("GET", path)
        return status, text

    def submit(self, path: str, has_field: str, changes: dict) -> tuple[int, str]:
        """Open ``path``, fill the form that has the field ``has_field`` with ``changes`` and send
        it; returns the status and where it redirects to."""
        status, page = self.get(path)
        assert status == 200, (path, status)
        parser = Forms()
        parser.feed(page)
        form = next(f for f in parser.forms if any(name == has_field for name, _ in f["fields"]))
        fields = [(n, unescape(v)) for n, v in form["fields"] if n not in changes] + list(changes.items())
        status, headers, _text = self.request("POST", form["action"] or path, fields)
        return status, headers.get("Location", "")


def sign_in(browser: Browser, username: str, code: str | None = None) -> None:
    status, location = browser.submit(
        "/accounts/login/", "username", {"username": username, "password": DEMO_PASSWORD}
    )
    assert status == 302, f"sign-in of {username} answered {status}"
    if code is not None:
        assert "second-factor" in location, location
        status, location = browser.submit(urllib.parse.urlparse(location).path, "code", {"code": code})
        assert status == 302 and "second-factor" not in location, (status, location)


# The site ----------------------------------------------------------------------------------------


@dataclass
class Site:
    a: int
    b: int
    env: dict
    database_url: str
    folder: Path

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def query(self, sql: str, *params) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.database_url) as conn:
            return conn.execute(sql, params).fetchall()


# CI sets it: what the tests need missing is then a failure, not a skip.
REQUIRED = os.environ.get("CIVITAS_REQUIRE_MULTISERVER") == "1"


def _missing(reason: str):
    if REQUIRED:
        pytest.fail(f"{reason} (CIVITAS_REQUIRE_MULTISERVER=1)")
    pytest.skip(reason)


def _postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        _missing("needs PostgreSQL: set DATABASE_URL=postgres://… (a role that may create databases)")
    if shutil.which("redis-server") is None:
        _missing("needs redis-server: apt-get install -y redis-server")
    return url


def _with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(sql)


def _start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _answers(port: int, path: str = "/healthz") -> bool:
    conn = http.client.HTTPConnection(HOST, port, timeout=2)
    try:
        conn.request("GET", path, headers={"Host": HOST})
        return conn.getresponse().status == 200
    finally:
        conn.close()


def _redis_answers(port: int) -> bool:
    with socket.create_connection((HOST, port), timeout=2) as s:
        s.sendall(b"PING\r\n")
        return s.recv(16).startswith(b"+PONG")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    server_url = _postgres_url()
    folder = tmp_path_factory.mktemp("multiserver")
    name = f"civitas_multiserver_{os.getpid()}"
    database_url = _with_database(server_url, name)
    processes: list[subprocess.Popen] = []
    redis_port = free_port()
    processes.append(
        _start(
            ["redis-server", "--port", str(redis_port), "--bind", HOST, "--save", "", "--appendonly", "no"],
            os.environ.copy(),
            folder / "redis.log",
        )
    )
    _admin(server_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _admin(server_url, f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
    try:
        wait_until(lambda: _redis_answers(redis_port), "Redis answering PING", 30)
        base = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "LC_ALL", "TZ"}}
        env = base | {
            "DJANGO_SETTINGS_MODULE": "civitas.settings",
            "DATABASE_URL": database_url,
            "CACHE_URL": f"redis://{HOST}:{redis_port}/0",
            "SECRET_KEY": secrets.token_urlsafe(50),  # the same on every server
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "ALLOWED_HOSTS": HOST,
            "CIVITAS_VAR_DIR": str(folder / "var"),
            "STATIC_ROOT": str(folder / "static"),
            "MEDIA_ROOT": str(folder / "media"),  # shared, as a network volume or a bucket would be
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            "LOG_LEVEL": "ERROR",
            # The one difference from production: static files without collectstatic's manifest
            # (compressing every file would take longer than the rest of the test).
            "CIVITAS_TESTING": "1",
        }
        site = Site(0, 0, env, database_url, folder)
        site.manage("migrate", "--noinput", "-v0")
        site.manage("load_demo")
        a, b = free_port(), free_port()
        gunicorn = [str(GUNICORN), "civitas.wsgi:application", "--workers", "2", "--timeout", "60"]
        # Server A sits behind nginx in the last test: it hands checked files to nginx.
        accel = env | {"CIVITAS_MEDIA_ACCEL_REDIRECT": "/protected-media/"}
        processes.append(_start([*gunicorn, "--bind", f"{HOST}:{a}"], accel, folder / "a.log"))
        # Server B's "replica" is the same database, under a name of its own in pg_stat_activity.
        replica = env | {"DATABASE_REPLICA_URL": f"{database_url}?application_name={REPLICA_NAME}"}
        processes.append(_start([*gunicorn, "--bind", f"{HOST}:{b}"], replica, folder / "b.log"))
        worker = [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--interval", "0.2",
                  "--no-startup-delay"]  # fmt: skip
        processes.append(_start(worker, env, folder / "worker.log"))
        wait_until(lambda: _answers(a), "server A answering /healthz")
        wait_until(lambda: _answers(b), "server B answering /healthz")
        site.a, site.b = a, b
        yield site
    finally:
        for process in processes:  # SIGINT: each of them stops at once (gunicorn without grace)
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in processes:
            _stop(process)
        _admin(server_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_a_staff_change_through_one_server_is_seen_at_once_through_the_other(site):
    slug, title = site.query(
        "SELECT p.slug, p.title_bg FROM projects_project p JOIN core_municipality m ON m.id = p.municipality_id "
        "WHERE m.slug = 'sopot' ORDER BY p.id LIMIT 1"
    )[0]
    page = f"/sopot/projects/{slug}/"
    visitor_a, visitor_b = Browser(site.a), Browser(site.b)
    for visitor in (visitor_a, visitor_b, visitor_a, visitor_b):  # both servers' pages now cached
        status, text = visitor.get(page)
        assert status == 200 and unescape(title) in unescape(text)

    planner = Browser(site.a)
    sign_in(planner, "sopot-planner", code=site.manage("load_demo", "--code").strip())
    new_title = f"{title} – обновено {secrets.token_hex(3)}"
    status, _location = planner.submit(f"/sopot/manage/projects/{slug}/", "title_bg", {"title_bg": new_title})
    assert status == 302, "the planner's change was not saved"

    status, text = visitor_b.get(page)  # the very next anonymous request, through the other server
    assert status == 200 and new_title in unescape(text)
    # Server B read the anonymous visitor's page through its replica connection.
    ((replica_connections,),) = site.query(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = %s",
        REPLICA_NAME,
    )
    assert replica_connections > 0
    status, text = visitor_a.get(page)
    assert status == 200 and new_title in unescape(text)


def test_work_queued_through_either_server_is_done_by_the_worker(site):
    ((topic_id,),) = site.query(
        "SELECT t.id FROM forum_topic t JOIN core_municipality m ON m.id = t.municipality_id "
        "WHERE m.slug = 'sopot' ORDER BY t.id LIMIT 1"
    )
    sql = "SELECT id, status FROM django_tasks_database_dbtaskresult WHERE task_path LIKE %s"
    before = {row[0] for row in site.query(sql, "%notify_followers%")}
    # A reply queues the e-mail to the topic's followers, for the worker to send.
    for port, who in ((site.b, "grazhdanka.anevo@example.org"), (site.a, "mladezh@example.org")):
        citizen = Browser(port)
        sign_in(citizen, who)
        reply = f"Отговор през сървър {port} {secrets.token_hex(3)}"
        status, _location = citizen.submit(f"/sopot/forum/{topic_id}/", "body", {"body": reply})
        assert status == 302, f"the reply through {port} was not accepted"
        status, text = Browser(site.a if port == site.b else site.b).get(f"/sopot/forum/{topic_id}/")
        assert status == 200 and reply in unescape(text)

    def both_done() -> bool:
        queued = [status for task, status in site.query(sql, "%notify_followers%") if task not in before]
        assert len(queued) <= 2
        return queued == ["SUCCESSFUL", "SUCCESSFUL"]

    wait_until(both_done, "the worker running both queued notifications", 30)


NGINX_CONF = ROOT / "deploy" / "nginx" / "civitas.conf"


@pytest.fixture
def nginx(site):
    """deploy/nginx/civitas.conf as written, in front of server A: only the addresses, the
    folders and the certificate (made for the test) are this machine's."""
    if shutil.which("nginx") is None or shutil.which("openssl") is None:
        _missing("needs nginx and openssl: apt-get install -y nginx openssl")
    folder = site.folder / "nginx"
    folder.mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={HOST}", "-days", "1",
         "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    http_port, https_port = free_port(), free_port()
    conf = NGINX_CONF.read_text()
    for old, new in {
        "unix:/run/civitas/gunicorn.sock": f"{HOST}:{site.a}",
        "listen 80;": f"listen {HOST}:{http_port};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen {HOST}:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "/etc/letsencrypt/live/civitas.example.org/fullchain.pem": str(folder / "cert.pem"),
        "/etc/letsencrypt/live/civitas.example.org/privkey.pem": str(folder / "key.pem"),
        "/srv/civitas/var/static/": f"{site.folder / 'static'}/",
        "/srv/civitas/var/media/": f"{site.folder / 'media'}/",
        "civitas.example.org": HOST,
    }.items():
        assert old in conf, old
        conf = conf.replace(old, new)
    (folder / "civitas.conf").write_text(conf)
    # As root, nginx's workers would run as nobody, who may not enter the test's temporary folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(
        f"{user}pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\ndaemon off;\nevents {{}}\n"
        f"http {{\n include /etc/nginx/mime.types;\n access_log off;\n client_body_temp_path {folder}/body;\n"
        f" proxy_temp_path {folder}/proxy;\n include {folder}/civitas.conf;\n}}\n"
    )
    command = ["nginx", "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    process = _start(command, os.environ.copy(), folder / "nginx.log")
    wait_until(
        lambda: socket.create_connection((HOST, https_port), timeout=1).close() is None, "nginx listening"
    )
    yield https_port
    _stop(process)


def test_nginx_in_front_sends_a_checked_file_and_never_an_unchecked_one(site, nginx):
    import ssl

    ((name,),) = site.query("SELECT file FROM projects_projectdocument WHERE file <> '' ORDER BY id LIMIT 1")
    on_disk = (site.folder / "media" / name).read_bytes()
    unowned = Path(name).with_name("not-a-record-s-file.pdf").as_posix()
    (site.folder / "media" / unowned).write_bytes(on_disk)
    context = ssl._create_unverified_context()  # the test's own certificate

    def get(path: str) -> tuple[int, dict, bytes]:
        conn = http.client.HTTPSConnection(HOST, nginx, timeout=10, context=context)
        try:
            conn.request("GET", path, headers={"Host": HOST})
            response = conn.getresponse()
            return response.status, dict(response.headers), response.read()
        finally:
            conn.close()

    status, headers, body = get(f"/media/{name}")
    assert status == 200 and body == on_disk  # Civitas checked it, nginx sent the bytes
    assert "X-Accel-Redirect" not in headers and headers["X-Content-Type-Options"] == "nosniff"
    assert get(f"/protected-media/{name}")[0] == 404  # the internal location is not reachable
    assert get(f"/media/{unowned}")[0] == 404  # a file no record owns is never sent
    assert get("/healthz")[0] == 200
