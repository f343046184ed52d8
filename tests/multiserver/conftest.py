"""The multi-server tests run only when asked for (``-m multiserver``): they start their own
Redis, two gunicorn servers and a task worker on their own PostgreSQL database, which takes about a
minute. Without a PostgreSQL DATABASE_URL or redis-server they are skipped with the reason."""

import pytest


def pytest_collection_modifyitems(config, items):
    if "multiserver" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="several servers as processes: run with `-m multiserver`")
    for item in items:
        if "multiserver" in item.keywords:
            item.add_marker(skip)
