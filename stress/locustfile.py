"""The mixed load of ``python -m stress``, run by Locust (headless) against the production server.

Four kinds of people, in the numbers the run chooses (``fixed_count`` from the run's file):
anonymous readers of public pages and API lists; citizens answering a survey, each response with
its own invitation code; staff entering values through the back office's value form (signed in,
second factor passed); API clients posting measurements with a personal token.

Every write carries a unique marker (the survey's one-word answer, the value's comment) and is
recorded, with its answer, in STRESS_RECORDS (JSON lines), so that the run can check afterwards
that every accepted write is stored exactly once. Every 5xx or failed connection is recorded too,
with its time, so that the run can say which fault it belongs to.
"""

import itertools
import json
import os
import random
import re
import time
import urllib.parse

from locust import HttpUser, between, events, task

CONFIG = json.loads(open(os.environ["STRESS_CONFIG"], encoding="utf-8").read())  # noqa: SIM115
RECORDS = open(os.environ["STRESS_RECORDS"], "a", buffering=1, encoding="utf-8")  # noqa: SIM115
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CODES = iter(CONFIG["survey"]["codes"])
SERIAL = itertools.count(1)


def record(**fields) -> None:
    RECORDS.write(json.dumps({"t": time.time(), **fields}) + "\n")


@events.request.add_listener
def _on_request(request_type, name, response_time, response_length, response=None, exception=None, **_kw):
    """Every 5xx and every request that got no answer (a refused or broken connection)."""
    status = getattr(response, "status_code", 0) or 0
    if exception is not None and not status or status >= 500:
        record(kind="error", name=name, status=status, error=type(exception).__name__ if exception else "")


def _marker(prefix: str) -> str:
    return f"{prefix}-{os.getpid()}-{next(SERIAL)}"


def _accepted(response, *, redirect_to: str = "") -> bool:
    if redirect_to:
        return response.status_code in (302, 303) and response.headers.get("Location", "").endswith(
            redirect_to
        )
    return 200 <= response.status_code < 300


class Reader(HttpUser):
    """An anonymous visitor: public pages and the API's lists."""

    fixed_count = CONFIG["users"]["readers"]
    wait_time = between(0.2, 1.0)

    @task(3)
    def page(self):
        name, path = random.choice(CONFIG["pages"])
        self.client.get(path, name=f"read page: {name}")

    @task(2)
    def api_list(self):
        name, path = random.choice(CONFIG["api_lists"])
        self.client.get(path, name=f"read API: {name}")


class Citizen(HttpUser):
    """Answers the survey: the questionnaire (for its form token), then a complete response with
    an invitation code of its own."""

    fixed_count = CONFIG["users"]["citizens"]
    wait_time = between(0.5, 1.5)

    @task
    def answer(self):
        survey = CONFIG["survey"]
        code = next(CODES, None)
        if code is None:
            return  # every code used: this citizen only waits
        page = self.client.get(survey["path"], name="survey: questionnaire")
        found = TOKEN.search(page.text or "") if page.status_code == 200 else None
        if found is None:
            return
        marker = _marker("survey")
        fields = [(k, marker if k == survey["marker_field"] else v) for k, v in survey["fields"]]
        fields += [("csrfmiddlewaretoken", found.group(1)), ("action", "submit"), ("invitation_code", code)]
        with self.client.post(
            survey["path"], data=urllib.parse.urlencode(fields), name="survey: submit", allow_redirects=False,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": self.host + survey["path"]},
            catch_response=True,
        ) as response:  # fmt: skip
            accepted = _accepted(response, redirect_to="/thanks/")
            if accepted or response.status_code in (400, 429):
                response.success()  # a refusal is an answer; the check counts it apart
            record(kind="survey", marker=marker, code=code, status=response.status_code, accepted=accepted)


class _WithSlots(HttpUser):
    """A writer with periods of its own to fill (indicator, year): no two writes share one."""

    abstract = True
    pool: list = []

    def on_start(self):
        me = self.pool[next(self._index) % len(self.pool)]
        self.me, self.slots = me, iter(me["slots"])


class Staff(_WithSlots):
    """A member of staff in the back office: the indicators list, then a period's value form,
    saved as a draft."""

    fixed_count = CONFIG["users"]["staff"]
    wait_time = between(1.0, 2.5)
    pool = CONFIG["staff"]
    _index = itertools.count()

    def on_start(self):
        super().on_start()
        self.client.cookies.set("sessionid", self.me["session"])

    @task
    def enter_value(self):
        slot = next(self.slots, None)
        base = CONFIG["manage_indicators"]
        if slot is None:
            self.client.get(base, name="staff: indicators list")
            return
        code, year = slot
        path = f"{base}indicator/{urllib.parse.quote(code)}/value/"
        form = self.client.get(f"{path}?period={year}", name="staff: value form")
        found = TOKEN.search(form.text or "") if form.status_code == 200 else None
        if found is None:
            return
        marker = _marker("staff")
        data = {"period": str(year), "value": str(random.randint(1, 999)), "comment": marker,
                "csrfmiddlewaretoken": found.group(1), "action": "draft"}  # fmt: skip
        with self.client.post(
            path, data=data, name="staff: save value", allow_redirects=False, catch_response=True,
            headers={"Referer": self.host + path},
        ) as response:  # fmt: skip
            accepted = _accepted(response, redirect_to=f"indicator/{code}/")
            if not accepted and response.status_code < 500:
                response.failure(f"not saved: {response.status_code}")
            record(kind="staff", marker=marker, indicator=code, year=year, status=response.status_code,
                   accepted=accepted)  # fmt: skip


class ApiClient(_WithSlots):
    """A program with a personal API token posting measurements (submitted for approval)."""

    fixed_count = CONFIG["users"]["api"]
    wait_time = between(0.5, 1.5)
    pool = CONFIG["api"]
    _index = itertools.count()

    @task
    def post_measurement(self):
        slot = next(self.slots, None)
        if slot is None:
            return
        indicator, year = slot
        marker = _marker("api")
        with self.client.post(
            f"/api/v1/indicators/{indicator}/measurements", name="API: post measurement", catch_response=True,
            json={"year": year, "value": random.randint(1, 999), "comment": marker},
            headers={"Authorization": f"Bearer {self.me['token']}"},
        ) as response:  # fmt: skip
            accepted = _accepted(response)
            record(kind="api", marker=marker, indicator=indicator, year=year, status=response.status_code,
                   accepted=accepted)  # fmt: skip
