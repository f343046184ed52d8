from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


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
