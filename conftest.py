import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Tests start in the platform's default language, whatever the machine's locale, and hash
    passwords quickly."""
    settings.LANGUAGE_CODE = "bg"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (primary keys repeat between tests)."""
    from django.core.cache import cache

    from civitas.core.cache import ProcessCache

    cache.clear()
    ProcessCache.clear_all()
    yield
    cache.clear()
    ProcessCache.clear_all()
