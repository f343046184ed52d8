import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def messages_in_english():
    """Services and rules speak the active language (Bulgarian by default); these tests read their
    messages in English. Pages choose their language per request, so this does not change them;
    test_translations proves every message has its Bulgarian."""
    with translation.override("en"):
        yield
