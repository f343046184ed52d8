from django.contrib import admin

from civitas.core.admin_audit import AuditedAdmin

from .models import Activity, FundingLine, Project, ProjectPartner


class FundingLineInline(admin.TabularInline):
    model = FundingLine
    extra = 0


class ActivityInline(admin.TabularInline):
    model = Activity
    fields = ["title_bg", "state", "due_date", "completed_on", "position"]
    extra = 0


class PartnerInline(admin.TabularInline):
    model = ProjectPartner
    extra = 0


@admin.register(Project)
class ProjectAdmin(AuditedAdmin):
    list_display = ["code", "title_bg", "municipality", "status", "progress"]
    list_filter = ["municipality", "status"]
    search_fields = ["code", "title_bg", "title_en"]
    inlines = [FundingLineInline, ActivityInline, PartnerInline]
