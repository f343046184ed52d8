from django.contrib import admin

from civitas.core.admin_audit import AuditedAdmin

from .models import Plan, PlanElement


class PlanElementInline(admin.TabularInline):
    model = PlanElement
    fields = ["code", "title_bg", "parent", "position"]
    extra = 0


@admin.register(Plan)
class PlanAdmin(AuditedAdmin):
    list_display = ["title_bg", "municipality", "kind", "status", "period_start", "period_end"]
    list_filter = ["municipality", "kind", "status"]
    search_fields = ["title_bg", "title_en", "slug"]
    inlines = [PlanElementInline]
