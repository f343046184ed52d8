"""Helpers shared by every app's forms."""

from django.core.exceptions import ValidationError

from .errors import ConflictError


def run_service(form, call) -> bool:
    """Call a service; put its ValidationError on the form (fields or non-field). True on success."""
    try:
        call()
    except ConflictError as error:
        form.add_error(None, error.messages[0])
        return False
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                target = field if field in form.fields else None
                if field == "element_ids" and "element_ids" in form.fields:
                    target = "element_ids"
                for item in errors:
                    form.add_error(target, item.messages[0] if hasattr(item, "messages") else item)
        else:
            for message in error.messages:
                form.add_error(None, message)
        return False
    return True
