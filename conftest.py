import pytest

# Sopot with one plan and one project, for the staff pages' tests (a test module's own fixture of
# the same name wins).
pytest_plugins = ["civitas.testing.staff_pages"]


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Tests start in the platform's default language, whatever the machine's locale, and hash
    passwords quickly."""
    settings.LANGUAGE_CODE = "bg"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path_factory):
    """Files that tests store (uploads, the demo's pictures and documents) go to the run's
    temporary folder, not to var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "media"


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


@pytest.fixture(autouse=True)
def _empty_throttle_counters(request):
    """Rate-limit counters live in a database table (core/throttle.py): a test in a transaction
    leaves none behind, but the flush after a transactional test (browser tests) keeps that
    table, so such a test starts by emptying it."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)))
    if transactional or {"transactional_db", "live_server"} & set(request.fixturenames):
        from django.core.cache import caches

        request.getfixturevalue("_django_db_helper")
        caches["throttle"].clear()
