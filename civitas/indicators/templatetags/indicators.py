"""Template tags for showing evaluation results: ``{% load indicators %}``."""

from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.dates import MONTHS
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from civitas.core.templatetags.civitas import number

from civitas.indicators.presentation import STATUS_COLOURS, STATUS_LABELS

register = template.Library()


@register.inclusion_tag("components/status.html")
def status_tag(status):
    """The traffic light of an evaluation status: colour and words (never colour alone)."""
    return {
        "status": status,
        "label": STATUS_LABELS.get(status, ""),
        "colour": STATUS_COLOURS.get(status, "grey"),
    }


@register.filter
def status_name(status) -> str:
    """An evaluation status in words, in lower case for use inside a sentence ("at risk")."""
    label = STATUS_LABELS.get(status)
    return str(label).lower() if label else ""


@register.filter
def month_name(number) -> str:
    """A month by its number (1–12), by name in the active language: the start of a reporting year."""
    return str(MONTHS.get(number, ""))


_SAFE_IN_PATH = "!$&'()*+,;=/~:@"  # what reverse() leaves unquoted in a path (RFC 3986 sub-delims)


@register.simple_tag(takes_context=True)
def indicator_rows(context, rows):
    """The rows of an indicator table (``plans/_indicator_table.html``): ``rows`` are
    (EvaluatedIndicator, sparkline SVG or None) pairs. Written in Python rather than with an include
    per row: a plan of 300 indicators would otherwise spend most of its rendering in the template
    engine. The markup is the one the table always had."""
    municipality, plan = context["municipality"], context.get("plan")
    plan_pk = getattr(plan, "pk", None)
    placeholder = "~indicator~"
    address = reverse("portal:indicator", args=[municipality.slug, placeholder])
    before, after = address.rsplit(placeholder, 1)
    sample = format_html(
        ' <span class="civitas-sample" title="{}">{}</span>',
        _("Values not given in the source documents are illustrative."),
        _("Sample data"),
    )
    no_values = format_html('<span class="govuk-body-s">{}</span>', _("no values yet"))
    cannot = _("This indicator's passport cannot be assessed; staff have been shown why.")
    out = []
    for item, sparkline in rows:
        indicator, result = item.indicator, item.result
        href = before + quote(str(indicator.code), safe=_SAFE_IN_PATH) + after
        name = format_html(
            '<a class="govuk-link" href="{}">{} {}</a>', href, indicator.code, indicator.name
        )
        if indicator.is_sample:
            name += sample
        name += _shared_note(item, plan_pk)
        if result is not None:
            period = (
                format_html(' <span class="govuk-body-s">({})</span>', result.period.label)
                if result.period
                else mark_safe("")
            )
            cells = format_html(
                '<td class="govuk-table__cell govuk-table__cell--numeric">{}{}</td>\n'
                '      <td class="govuk-table__cell govuk-table__cell--numeric">{}</td>\n'
                '      <td class="govuk-table__cell">{}{}</td>',
                number(result.actual), period, number(result.expected),
                _status_markup(result.status), _override_note(result.override),
            )  # fmt: skip
        else:
            cells = format_html('<td class="govuk-table__cell" colspan="3">{}</td>', cannot)
        out.append(
            format_html(
                '<tr class="govuk-table__row">\n      <td class="govuk-table__cell">{}</td>\n      {}\n'
                '      <td class="govuk-table__cell civitas-trend-cell">{}</td>\n    </tr>',
                name, cells, mark_safe(sparkline) if sparkline else no_values,
            )  # fmt: skip
        )
    return mark_safe("\n    ".join(out))


def _status_markup(status) -> str:
    return format_html(
        '<strong class="govuk-tag govuk-tag--{} civitas-status civitas-status--{}">{}</strong>',
        STATUS_COLOURS.get(status, "grey"), status, STATUS_LABELS.get(status, ""),
    )  # fmt: skip


def _override_note(override) -> str:
    if not override:
        return mark_safe("")
    text = _("Assessed by the municipality: %(status)s — %(reason)s") % {
        "status": status_name(override.status),
        "reason": override.reason,
    }
    decided = f" ({date_format(override.decided, 'd.m.Y')})" if override.decided else ""
    return format_html('<br><span class="govuk-body-s civitas-override">{}{}</span>', text, decided)


def _shared_note(item, plan_pk) -> str:
    indicator = item.indicator
    if item.shared:
        source = item.shared_from
        if source is not None:
            text = _("Shared from %(code)s %(title)s") % {"code": source.code, "title": source.title}
            if source.plan_id != plan_pk:
                text = format_html("{} · {}", text, source.plan.title)
        else:
            text = _("Shared from the project %(title)s") % {"title": indicator.project.title}
        return format_html('<br><span class="govuk-body-s civitas-shared">{}</span>', text)
    others = indicator.also_elements.all()
    if not others:
        return mark_safe("")
    parts = []
    for other in others:
        if other.plan_id != plan_pk:
            parts.append(format_html("{} ({})", other.code, Truncator(other.plan.title).chars(40)))
        else:
            parts.append(format_html("{}", other.code))
    return format_html(
        '<br><span class="govuk-body-s civitas-shared">{}: {}</span>', _("Also serves"), mark_safe(", ".join(parts))
    )
