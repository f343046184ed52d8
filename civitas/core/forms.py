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


def edited_version(form) -> int:
    """The version of the record the editor's form was opened on (its hidden ``version`` field).
    A form without it cannot show that nobody saved in between, so it is refused as a conflict
    rather than saved over whatever is stored now. Call it inside the service call that
    ``run_service`` makes, so that the refusal shows on the form."""
    version = form.cleaned_data.get("version")
    if version is None:
        raise ConflictError()
    return version
