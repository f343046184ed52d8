from django.contrib import admin

from civitas.core.admin_audit import AuditedAdmin

from .models import ModerationAction, Topic


@admin.register(Topic)
class TopicAdmin(AuditedAdmin):
    list_display = ["title", "municipality", "post_count", "last_post_at", "is_locked"]
    list_filter = ["municipality", "is_locked"]


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    list_display = ["at", "municipality", "action", "moderator", "user", "reason"]
    list_filter = ["municipality", "action"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
