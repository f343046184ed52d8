"""The engine is pure Python: its tests run without Django (``-p no:django``) as well as with it.

The project's root conftest has autouse fixtures that need pytest-django's ``settings`` and
Django's cache; these same-named fixtures override them for the engine's tests only.
"""

import pytest


@pytest.fixture(autouse=True)
def _test_settings():
    yield


@pytest.fixture(autouse=True)
def _empty_cache():
    yield
