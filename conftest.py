import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Tests start in the platform's default language, whatever the machine's locale, and hash
    passwords quickly."""
    settings.LANGUAGE_CODE = "bg"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
