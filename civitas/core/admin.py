from django.contrib import admin

from .admin_audit import AuditedAdmin
from .models import AuditEvent, Membership, Municipality


@admin.register(Municipality)
class MunicipalityAdmin(AuditedAdmin):
    list_display = ["name_bg", "name_en", "slug", "ekatte", "nuts"]
    search_fields = ["name_bg", "name_en", "slug"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "municipality", "role"]
    list_filter = ["municipality", "role"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "municipality", "actor", "action", "object_type", "object_repr"]
    list_filter = ["municipality", "action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
