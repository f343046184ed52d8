"""Checks the participation and accountability endpoints' tests share: a list walked page by page,
a page's queries counted at two sizes, and a bad filter refused with a JSON 400."""

import json
from io import StringIO

from django.core.management import call_command

from civitas.core.models import Municipality


def load_sopot() -> Municipality:
    """The Sopot demo, loaded as the demo command loads it."""
    call_command("load_demo", stdout=StringIO())
    return Municipality.objects.get(slug="sopot")


def without_rate_limit(settings) -> None:
    """Counted queries are then the endpoint's own (the anonymous rate limit adds two)."""
    settings.CIVITAS_API_ANONYMOUS_PER_MINUTE = 0


def walk(client, url: str) -> list[dict]:
    """Every item of a list, following its next links."""
    items: list[dict] = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["items"]
        url = body["next"]
    return items


def same_queries_at_two_sizes(client, assert_num_queries, url: str, queries: int, small: int, large: int):
    """A page of ``small`` items and one of ``large`` items cost ``queries`` each."""
    separator = "&" if "?" in url else "?"
    for size in (small, large):
        with assert_num_queries(queries):
            body = client.get(f"{url}{separator}limit={size}").json()
        assert len(body["items"]) == size


def refused(client, url: str, code: str = "invalid_parameter") -> dict:
    response = client.get(url)
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code and body["detail"]
    return body


def as_text(response) -> str:
    """The response's JSON as readable text (Cyrillic unescaped), to look for what must not be in it."""
    return json.dumps(response.json(), ensure_ascii=False)
