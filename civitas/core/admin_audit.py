"""Django's admin, for platform superusers, writes through the same record as the services: every
change or deletion made there is appended to the audit log (a deletion with the deleted row's
content) and moves the municipality's content version on, so cached public pages are never stale
after an edit in the admin either."""

from django.contrib import admin
from django.db import models, transaction

from . import content
from .models import Municipality
from .services import audit_record, row_content


def _record(request, municipality, **event) -> None:
    """Audit-log an admin change and, since the admin can change anything, mark all of the
    municipality's public content as changed."""
    audit_record(actor=request.user, municipality=municipality, **event)
    if municipality is not None:
        content.changed(municipality, *content.Content)


def municipality_of(obj):
    """The municipality a row belongs to: its own, its plan's or its project's, or itself."""
    if isinstance(obj, Municipality):
        return obj
    for path in ("municipality", "plan", "project", "topic"):
        related = getattr(obj, path, None)
        if related is None:
            continue
        if isinstance(related, Municipality):
            return related
        found = municipality_of(related)
        if found is not None:
            return found
    return None


class AuditedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves and deletions are recorded and invalidate public pages."""

    # Addresses typed without a scheme are https:// (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            _record(
                request, municipality_of(obj), action="admin_change" if change else "admin_add",
                obj=obj, changes={"fields": sorted(form.changed_data)},
            )  # fmt: skip

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if any(formset.has_changed() for formset in formsets):
            municipality = municipality_of(form.instance)
            _record(request, municipality, action="admin_change_related",
                    obj=form.instance, changes={"inlines": [f.prefix for f in formsets if f.has_changed()]})  # fmt: skip

    def _record_deletion(self, request, obj) -> None:
        # A municipality being deleted cannot own its own deletion record (the log protects it).
        municipality = None if isinstance(obj, Municipality) else municipality_of(obj)
        _record(request, municipality, action="admin_delete", obj=obj, changes=row_content(obj))  # fmt: skip

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._record_deletion(request, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self._record_deletion(request, obj)
            super().delete_queryset(request, queryset)
