"""The back office's plan-file upload: the file is kept (``PlanFileUpload``) between the preview of
what it will change and the confirmation that imports it, all or nothing (``imports``)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.core.models import Municipality
from civitas.core.services import audit_record

from . import policy
from .imports import ImportResult, planfile_import
from .models import PlanFileUpload
from .planfile import MAX_BYTES

# An upload nobody confirmed is dropped after this long (and whenever its uploader uploads again).
KEPT_FOR = datetime.timedelta(days=1)


@transaction.atomic
def planfile_upload_create(
    *, actor, municipality: Municipality, file_name: str, data: bytes, replace: bool = False
) -> PlanFileUpload:
    """Keep an uploaded plan file for its preview; the uploader's earlier uploads here, and every
    upload older than a day, are dropped."""
    policy.require_import_plan(actor, municipality, replace=replace)
    if len(data) > MAX_BYTES:
        raise ValidationError(
            {
                "file": [
                    _("The file is larger than %(mb)s MB: it is not a plan file.")
                    % {"mb": MAX_BYTES // 2**20}
                ]
            }
        )
    PlanFileUpload.objects.filter(municipality=municipality, created_by=actor).delete()
    PlanFileUpload.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
    upload = PlanFileUpload.objects.create(
        municipality=municipality, created_by=actor, file_name=file_name[:255], data=data, replace=replace
    )
    audit_record(actor=actor, municipality=municipality, action="upload", obj=upload)
    return upload


def verifier_for(actor, municipality: Municipality):
    """Who the file's values are recorded as published by: the importing person when they may
    verify values here; otherwise none (and a file with values is refused, saying why)."""
    return actor if policy.can_publish_values(actor, municipality) else None


def planfile_upload_import(*, actor, upload: PlanFileUpload) -> ImportResult:
    """Import a kept upload, all or nothing (PlanImportError lists every problem); it is dropped
    once imported."""
    policy.require_import_plan(actor, upload.municipality, replace=upload.replace)
    result = planfile_import(
        actor=actor, municipality=upload.municipality, data=bytes(upload.data), name=upload.file_name,
        replace=upload.replace, verifier=verifier_for(actor, upload.municipality),
    )  # fmt: skip
    upload.delete()
    return result
