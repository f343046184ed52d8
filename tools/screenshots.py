"""Screenshots of Civitas's main pages, so that anyone can look at them: ``make screenshots``.

Serves the Sopot demo from a fresh database in ``build/screenshots/var`` with the production server
(gunicorn, DEBUG off), then photographs each page type in Chromium (``/usr/bin/chromium``, or
``CHROMIUM``) at 1280 and 360 px wide, in Bulgarian and English, public pages as a visitor and the
back office signed in as the demo's staff. The pictures go to ``build/screenshots/<language>/``,
named ``<width>-<page>.png``, with an ``index.html`` that shows them side by side.

Map tiles are not fetched unless ``CIVITAS_MAP_TILES`` is set in the environment (the pictures then
depend on the tile server); without them the maps show their markers on a plain background.
"""

import argparse
import html
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from base64 import b32decode
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "screenshots"
WIDTHS = (1280, 360)
LANGUAGES = ("bg", "en")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="civitas.settings",
        CIVITAS_VAR_DIR=str(OUT / "var"),
        CIVITAS_LOCAL_KEY="1",
    )
    env.setdefault("CIVITAS_MAP_TILES", "")
    env.pop("CIVITAS_TESTING", None)
    return env


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=server_env(), check=True)


def prepare() -> None:
    """A fresh database with the demo, and the static files the production server serves."""
    var = OUT / "var"
    if var.exists():
        shutil.rmtree(var)  # the database, the uploaded files and the collected static files
    var.mkdir(parents=True)
    manage("migrate", "--noinput", "-v0")
    manage("createcachetable")
    manage("load_demo")
    manage("collectstatic", "--noinput", "-v0")


def wait_until_up(base: str, server: subprocess.Popen) -> None:
    for _ in range(120):
        if server.poll() is not None:
            raise SystemExit("the server stopped; see its output above")
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)  # noqa: S310 (our own local server)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not answer within a minute")


def page_list() -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """(name, path) of the public pages and (name, path, username) of the back-office pages, read from
    the demo's database, so that the addresses are the ones the site itself makes."""
    os.environ.update(server_env())
    import django

    django.setup()
    from django.urls import reverse

    from civitas.core.models import Municipality
    from civitas.demo.surveys import SLUG as SURVEY
    from civitas.evaluations.models import Evaluation
    from civitas.indicators.models import Indicator
    from civitas.plans.models import Plan
    from civitas.projects.models import Project
    from civitas.publicity.models import PublicityEvent
    from civitas.reports.models import AnnualReport
    from civitas.surveys.models import Survey

    town = Municipality.objects.get(slug="sopot")
    m = town.slug
    plan = Plan.objects.filter(municipality=town).order_by("pk").first()
    located = Project.objects.filter(municipality=town, location__isnull=False).order_by("pk").first()
    project = located or Project.objects.filter(municipality=town).order_by("pk").first()
    indicator = Indicator.objects.filter(element__plan=plan).order_by("pk").first()
    survey = (
        Survey.objects.filter(municipality=town, slug=SURVEY).first()
        or Survey.objects.filter(municipality=town).first()
    )
    public = [
        ("home", reverse("portal:home", args=[m])),
        ("plans", reverse("portal:plans", args=[m])),
        ("plan", reverse("portal:plan", args=[m, plan.slug])),
        ("plan-with-money", reverse("portal:plan", args=[m, "piro-2021-2027"])),
        ("projects", reverse("portal:projects", args=[m])),
        ("project", reverse("portal:project", args=[m, project.slug])),
        ("indicator", reverse("portal:indicator", args=[m, indicator.code])),
        ("consultations", reverse("consultations:list", args=[m])),
        ("survey", reverse("surveys:answer", args=[m, survey.slug])),
        ("survey-results", reverse("surveys:results", args=[m, survey.slug])),
        ("forum", reverse("forum:topics", args=[m])),
        ("decisions", reverse("council:list", args=[m])),
        ("decision", reverse("council:detail", args=[m, 2014, 171])),
        ("plan-versions", reverse("portal:plan_versions", args=[m, "opr-2014-2020"])),
        (
            "plan-versions-compare",
            reverse("portal:plan_version_compare", args=[m, "opr-2014-2020"]) + "?from=2&to=3",
        ),
        ("plan-version", reverse("portal:plan_version", args=[m, "opr-2014-2020", 2])),
        ("events", reverse("publicity:calendar", args=[m]) + "?month=2014-07"),
        ("reports", reverse("reports:list", args=[m])),
        ("evaluations", reverse("evaluations:list", args=[m])),
        ("recommendations", reverse("evaluations:tracker", args=[m])),
        ("not-found", f"/{m}/no-such-page/"),
    ]
    if report := AnnualReport.objects.filter(municipality=town, status="approved").order_by("pk").first():
        public.insert(-1, ("report", reverse("reports:detail", args=[m, report.pk])))
    if event := PublicityEvent.objects.filter(municipality=town).order_by("pk").first():
        public.insert(-1, ("event", reverse("publicity:event", args=[m, event.pk])))
    if evaluation := Evaluation.objects.filter(municipality=town, kind="mid_term").order_by("pk").first():
        public.insert(-1, ("evaluation", reverse("evaluations:detail", args=[m, evaluation.pk])))
    element = plan.elements.filter(parent__isnull=True).order_by("position", "pk").first()
    public.insert(3, ("goal", reverse("portal:plan_element", args=[m, plan.slug, element.code])))
    staff = [
        ("manage", reverse("manage:dashboard", args=[m]), "sopot-admin"),
        ("manage-project", reverse("manage:project_edit", args=[m, project.slug]), "sopot-admin"),
        ("manage-plan-upload", reverse("manage:plan_file_upload", args=[m]), "sopot-planner"),
        ("manage-plan-versions", reverse("manage:plan_versions", args=[m, "opr-2014-2020"]), "sopot-planner"),
        ("manage-owner", reverse("manage:dashboard", args=[m]), "sopot-indicators"),
        ("manage-queue", reverse("indicators:queue", args=[m]), "sopot-verifier"),
        ("manage-calendar", reverse("indicators:calendar", args=[m]), "sopot-indicators"),
        ("manage-follow-up", reverse("evaluations_manage:follow_up", args=[m]), "sopot-planner"),
        ("manage-decisions", reverse("council_manage:list", args=[m]), "sopot-admin"),
        ("manage-reports", reverse("reports_manage:list", args=[m]), "sopot-planner"),
        ("manage-publicity", reverse("publicity_manage:register", args=[m]), "sopot-planner"),
    ]
    return public, staff


def sign_in(page, base: str, username: str, secret: str, password: str) -> None:
    from django_otp.oath import totp

    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    if page.locator("input[name=code]").count():
        # Each code is accepted once: wait for the next one when this one was just used.
        code = f"{totp(b32decode(secret)):06d}"
        while code == sign_in.last_code:  # type: ignore[attr-defined]
            time.sleep(2)
            code = f"{totp(b32decode(secret)):06d}"
        sign_in.last_code = code  # type: ignore[attr-defined]
        page.locator("input[name=code]").fill(code)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()


sign_in.last_code = ""  # type: ignore[attr-defined]


def shoot(base: str, public, staff, widths, languages) -> list[tuple[str, str, int, str, int]]:
    from playwright.sync_api import sync_playwright

    from civitas.demo.sopot import DEMO_PASSWORD, DEMO_TOTP_SECRET

    taken = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        for language in languages:
            prefix = "" if language == "bg" else f"/{language}"
            folder = OUT / language
            folder.mkdir(parents=True, exist_ok=True)
            locale = "bg-BG" if language == "bg" else "en-GB"
            jobs = [(None, public)] + [
                (u, [(n, p) for n, p, who in staff if who == u]) for u in dict.fromkeys(s[2] for s in staff)
            ]
            for username, pages in jobs:
                for width in widths:
                    context = browser.new_context(locale=locale, viewport={"width": width, "height": 900})
                    page = context.new_page()
                    if username:
                        sign_in(page, base, username, DEMO_TOTP_SECRET, DEMO_PASSWORD)
                    for name, path in pages:
                        response = page.goto(f"{base}{prefix}{path}")
                        page.wait_for_load_state("networkidle")
                        # A full-page picture shows what is below the fold: lazy images load now.
                        page.evaluate(
                            "Promise.all([...document.images].map((i) => { i.loading = 'eager';"
                            " return i.complete ? null : new Promise((r) => { i.onload = i.onerror = r; }); }))"
                        )
                        target = folder / f"{width}-{name}.png"
                        page.screenshot(path=str(target), full_page=True)
                        status = response.status if response else 0
                        taken.append((language, name, width, str(target.relative_to(OUT)), status))
                        print(f"{language} {width:>4} {status} {name:<20} {prefix}{path}")
                    context.close()
        browser.close()
    return taken


def write_index(taken) -> None:
    rows = {}
    for language, name, width, path, status in taken:
        rows.setdefault((language, name), {})[width] = (path, status)
    parts = [
        "<!DOCTYPE html><meta charset=utf-8><title>Civitas screenshots</title>",
        "<h1>Civitas screenshots</h1>",
    ]
    for (language, name), shots in rows.items():
        parts.append(f"<h2>{html.escape(language)} · {html.escape(name)}</h2><p>")
        for width, (path, status) in sorted(shots.items(), reverse=True):
            parts.append(
                f'<a href="{html.escape(path)}"><img src="{html.escape(path)}" width="{min(width, 640) // 2}"'
                f' alt="{html.escape(name)} at {width} px (HTTP {status})"></a> '
            )
        parts.append("</p>")
    (OUT / "index.html").write_text("\n".join(parts), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--width", type=int, action="append", help="only this width (repeatable)")
    parser.add_argument("--language", choices=LANGUAGES, action="append", help="only this language")
    parser.add_argument("--only", action="append", help="only the page of this name (repeatable)")
    parser.add_argument("--reuse", action="store_true", help="keep the database of the last run")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install -y chromium")
    if not args.reuse or not (OUT / "var" / "civitas.sqlite3").exists():
        prepare()
    public, staff = page_list()
    if args.only:
        public = [p for p in public if p[0] in args.only]
        staff = [s for s in staff if s[0] in args.only]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "civitas.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "2"],
        cwd=ROOT,
        env=server_env(),
    )
    try:
        wait_until_up(base, server)
        taken = shoot(base, public, staff, args.width or WIDTHS, args.language or LANGUAGES)
    finally:
        server.terminate()
        server.wait(timeout=30)
    write_index(taken)
    failed = [t for t in taken if t[4] >= 400 and t[1] != "not-found"]
    print(f"\n{len(taken)} screenshots in {OUT}/ (open index.html)")
    if failed:
        raise SystemExit("pages that did not answer: " + ", ".join(f"{t[0]} {t[1]} ({t[4]})" for t in failed))


if __name__ == "__main__":
    main()
