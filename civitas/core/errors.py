from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext_lazy as _

# Seconds a visitor or a program is asked to wait when the database does not answer.
RETRY_AFTER_SECONDS = 30


def database_unavailable(error: BaseException | None) -> bool:
    """Whether a failure is the database not answering (a restart, a fail-over, a lost connection):
    the service is briefly unavailable (503 with Retry-After), not broken (500)."""
    return isinstance(error, (OperationalError, InterfaceError))


class ConflictError(ValidationError):
    """Someone else saved the record since it was opened: the save is refused, nothing is lost."""

    def __init__(self, message=None):
        super().__init__(
            message
            or _(
                "Someone else saved this record after you opened it. Your changes were not saved: "
                "reload the page to see the current version and make your changes again."
            ),
            code="conflict",
        )
