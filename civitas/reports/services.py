"""Every write to annual reports: validating, transactional, audit-logged. A draft is private (its
changes move no public content); approving a report publishes it."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.core import content
from civitas.core.content import Content
from civitas.core.services import audit_record, bump_version, recorded_actor
from civitas.council.models import Decision
from civitas.evaluations import policy as evaluation_policy
from civitas.evaluations.models import Evaluation
from civitas.plans.models import Plan

from . import policy, rules, tasks
from .models import AnnualReport, ReportFile, ReportFormat, ReportLanguage, ReportStatus

NARRATIVE_FIELDS = (
    "conditions_bg",
    "conditions_en",
    "actions_bg",
    "actions_en",
    "conclusions_bg",
    "conclusions_en",
)


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _narrative(fields: dict) -> dict[str, str]:
    unknown = set(fields) - set(NARRATIVE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    return {name: (value or "").strip() for name, value in fields.items()}


@transaction.atomic
def report_create(
    *, actor, plan: Plan, year: int, as_of: datetime.date | None = None, is_sample: bool = False, **narrative
) -> AnnualReport:
    """Start the annual report of one of the plan's years (one per plan and year), as a draft."""
    municipality = plan.municipality
    policy.require_edit_reports(actor, municipality)
    texts = _narrative(narrative)
    errors = rules.check_year(year, period=(plan.period_start, plan.period_end))
    if not errors and AnnualReport.objects.filter(plan=plan, year=year).exists():
        errors = {"year": [_("This plan already has a report for %(year)s.") % {"year": year}]}
    _raise(errors)
    report = AnnualReport(
        municipality=municipality, plan=plan, year=year, as_of=as_of, is_sample=is_sample,
        created_by=recorded_actor(actor), **texts,
    )  # fmt: skip
    report.full_clean(validate_unique=False, validate_constraints=False)
    report.save()
    audit_record(actor=actor, municipality=municipality, action="create", obj=report)
    return report


@transaction.atomic
def report_update_narrative(
    *,
    actor,
    report: AnnualReport,
    expected_version: int | None,
    as_of: datetime.date | None = None,
    **narrative,
) -> AnnualReport:
    """Rewrite the narrative of a draft report and the date its data is read as of (None: the end
    of its reporting year). Approved reports are frozen."""
    policy.require_edit_reports(actor, report.municipality)
    texts = _narrative(narrative)
    _raise(rules.check_not_approved(report.is_approved))
    bump_version(instance=report, expected_version=expected_version)
    changes = {
        name: [getattr(report, name), value]
        for name, value in texts.items()
        if getattr(report, name) != value
    }
    if as_of != report.as_of:
        changes["as_of"] = [d.isoformat() if d else None for d in (report.as_of, as_of)]
    for name, value in texts.items():
        setattr(report, name, value)
    report.as_of = as_of
    report.version = (expected_version or report.version) + 1
    report.save(update_fields=[*texts, "as_of", "updated_at"])
    audit_record(actor=actor, municipality=report.municipality, action="update", obj=report, changes=changes)
    return report


def _queue(
    report: AnnualReport | None, *, actor, fmt: str, language: str, published: bool,
    evaluation: Evaluation | None = None,
) -> ReportFile:  # fmt: skip
    if fmt not in ReportFormat.values or language not in ReportLanguage.values:
        raise ValidationError({"format": [_("Choose a format and a language the report is made in.")]})
    generated = ReportFile.objects.create(
        report=report,
        evaluation=evaluation,
        format=fmt,
        language=language,
        is_published=published,
        requested_by=recorded_actor(actor),
    )
    tasks.queue_generation(generated)
    return generated


@transaction.atomic
def report_generate(*, actor, report: AnnualReport, format: str, language: str) -> ReportFile:
    """Queue the generation of the report as a file (DOCX or PDF, Bulgarian or English); the
    background task writes its progress on the returned record."""
    policy.require_edit_reports(actor, report.municipality)
    generated = _queue(report, actor=actor, fmt=format, language=language, published=False)
    audit_record(actor=actor, municipality=report.municipality, action="generate", obj=generated)
    return generated


@transaction.atomic
def report_approve(
    *, actor, report: AnnualReport, decision: Decision, expected_version: int | None
) -> AnnualReport:
    """Record that the council approved the report by ``decision``: the report is frozen and
    public, and its published files are generated in both languages and both formats (and kept as
    approved)."""
    municipality = report.municipality
    policy.require_edit_reports(actor, municipality)
    errors = rules.check_not_approved(report.is_approved)
    if not errors:
        errors = rules.check_decision_municipality(decision.municipality_id, municipality.pk)
    _raise(errors)
    bump_version(instance=report, expected_version=expected_version)
    report.version = (expected_version or report.version) + 1
    report.status = ReportStatus.APPROVED
    report.decision = decision
    report.approved_at = timezone.now()
    for language in ReportLanguage.values:
        setattr(report, f"published_html_{language}", tasks.report_html(report, language=language))
    report.save(
        update_fields=[
            "status",
            "decision",
            "approved_at",
            "published_html_bg",
            "published_html_en",
            "updated_at",
        ]
    )
    for language in ReportLanguage.values:
        for fmt in ReportFormat.values:
            _queue(report, actor=actor, fmt=fmt, language=language, published=True)
    content.changed(municipality, Content.PLANNING)
    audit_record(
        actor=actor, municipality=municipality, action="approve", obj=report,
        changes={"status": [ReportStatus.DRAFT, ReportStatus.APPROVED], "decision": [None, str(decision)]},
    )  # fmt: skip
    return report


@transaction.atomic
def evaluation_report_generate(*, actor, evaluation: Evaluation, format: str, language: str) -> ReportFile:
    """Queue the generation of the evaluation's report as a file (DOCX or PDF, Bulgarian or
    English), as the annual report's. A file generated while the evaluation is published is one of
    its published files (public); a draft's files are for the staff."""
    evaluation_policy.require_write_evaluation(actor, evaluation.municipality)
    generated = _queue(
        None,
        actor=actor,
        fmt=format,
        language=language,
        published=evaluation.is_published,
        evaluation=evaluation,
    )
    audit_record(actor=actor, municipality=evaluation.municipality, action="generate", obj=generated)
    return generated
