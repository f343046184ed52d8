"""Content in two languages: every translatable field is stored as ``<name>_bg`` and ``<name>_en``.

``Translated()`` on a model gives the value in the active language, falling back to Bulgarian
(the municipality's official language) when the English text is empty.
"""

from django.utils.translation import get_language

CONTENT_LANGUAGES = ("bg", "en")
FALLBACK_LANGUAGE = "bg"


def active_content_language() -> str:
    lang = (get_language() or FALLBACK_LANGUAGE)[:2]
    return lang if lang in CONTENT_LANGUAGES else FALLBACK_LANGUAGE


class Translated:
    """Read-only descriptor: ``title = Translated()`` reads ``title_bg`` / ``title_en``."""

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        lang = active_content_language()
        value = getattr(obj, f"{self.name}_{lang}", "")
        if not value and lang != FALLBACK_LANGUAGE:
            value = getattr(obj, f"{self.name}_{FALLBACK_LANGUAGE}", "")
        return value
