"""Template tags for showing evaluation results: ``{% load indicators %}``."""

from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.dates import MONTHS
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from civitas.core.templatetags.civitas import number_formatter
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
    per row: a plan of 300 indicators spent most of its rendering in the template engine. The markup
    is the one the table always had (a test compares the two); every value is escaped."""
    municipality, plan = context["municipality"], context.get("plan")
    plan_pk = getattr(plan, "pk", None)
    placeholder = "~indicator~"
    before, after = reverse("portal:indicator", args=[municipality.slug, placeholder]).rsplit(placeholder, 1)
    before, after = escape(before), escape(after)
    sample = (
        f' <span class="civitas-sample" title="{escape(_("Values not given in the source documents are illustrative."))}">'
        f"{escape(_('Sample data'))}</span>"
    )
    no_values = f'<span class="govuk-body-s">{escape(_("no values yet"))}</span>'
    cannot_text = _("This indicator's passport cannot be assessed; staff have been shown why.")
    cannot = f'<td class="govuk-table__cell" colspan="3">{escape(cannot_text)}</td>'

    tags = {status: _status_markup(status) for status in STATUS_LABELS}
    shown = number_formatter()
    out = []
    for item, sparkline in rows:
        indicator, result = item.indicator, item.result
        href = before + escape(quote(str(indicator.code), safe=_SAFE_IN_PATH)) + after
        name = f'<a class="govuk-link" href="{href}">{escape(indicator.code)} {escape(indicator.name)}</a>'
        if indicator.is_sample:
            name += sample
        name += _shared_note(item, plan_pk)
        if result is not None:
            period = (
                f' <span class="govuk-body-s">({escape(result.period.label)})</span>' if result.period else ""
            )
            status = tags.get(result.status) or _status_markup(result.status)
            cells = (
                f'<td class="govuk-table__cell govuk-table__cell--numeric">{shown(result.actual)}{period}</td>\n'
                f'      <td class="govuk-table__cell govuk-table__cell--numeric">{shown(result.expected)}</td>\n'
                f'      <td class="govuk-table__cell">{status}{_override_note(result.override)}</td>'
            )
        else:
            cells = cannot
        trend = sparkline if sparkline else no_values
        out.append(
            f'<tr class="govuk-table__row">\n      <td class="govuk-table__cell">{name}</td>\n      {cells}\n'
            f'      <td class="govuk-table__cell civitas-trend-cell">{trend}</td>\n    </tr>'
        )
    return mark_safe("\n    ".join(out))


def _status_markup(status) -> str:
    return (
        f'<strong class="govuk-tag govuk-tag--{escape(STATUS_COLOURS.get(status, "grey"))} civitas-status '
        f'civitas-status--{escape(status)}">{escape(STATUS_LABELS.get(status, ""))}</strong>'
    )


def _override_note(override) -> str:
    if not override:
        return ""
    text = _("Assessed by the municipality: %(status)s — %(reason)s") % {
        "status": status_name(override.status),
        "reason": override.reason,
    }
    decided = f" ({date_format(override.decided, 'd.m.Y')})" if override.decided else ""
    return f'<br><span class="govuk-body-s civitas-override">{escape(text)}{escape(decided)}</span>'


def _shared_note(item, plan_pk) -> str:
    indicator = item.indicator
    if item.shared:
        source = item.shared_from
        if source is not None:
            text: str = escape(
                _("Shared from %(code)s %(title)s") % {"code": source.code, "title": source.title}
            )
            if source.plan_id != plan_pk:
                text += f" · {escape(source.plan.title)}"
        else:
            text = escape(_("Shared from the project %(title)s") % {"title": indicator.project.title})
        return f'<br><span class="govuk-body-s civitas-shared">{text}</span>'
    prefetched = getattr(indicator, "_prefetched_objects_cache", {}).get("also_elements")
    others = prefetched if prefetched is not None else indicator.also_elements.all()
    if not others:
        return ""
    parts = [
        escape(other.code)
        + (f" ({escape(Truncator(other.plan.title).chars(40))})" if other.plan_id != plan_pk else "")
        for other in others
    ]
    return (
        f'<br><span class="govuk-body-s civitas-shared">{escape(_("Also serves"))}: {", ".join(parts)}</span>'
    )
