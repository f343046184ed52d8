import pytest


@pytest.fixture(autouse=True)
def _bulgarian_by_default(settings):
    """Tests start in the platform's default language, whatever the machine's locale."""
    settings.LANGUAGE_CODE = "bg"
