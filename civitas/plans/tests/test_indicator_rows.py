"""The indicator table's rows, written in Python by ``{% indicator_rows %}``, are the markup the
template with an include per row gave: every kind of row (sample, shared, also serving elements of
this and of another plan, overridden, without values, with a period), in both languages."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.utils import translation

from civitas.indicators import selectors as indicator_selectors
from civitas.indicators.models import Indicator, StatusOverride
from civitas.plans import charts
from civitas.plans.models import Plan, PlanElement

pytestmark = pytest.mark.django_db

# The rows as the template wrote them before, one include per row.
INCLUDED = """{% load i18n civitas indicators %}{% for item, sparkline in rows %}
    <tr class="govuk-table__row">
      <td class="govuk-table__cell"><a class="govuk-link" href="{% url 'portal:indicator' municipality.slug item.indicator.code %}">{{ item.indicator.code }} {{ item.indicator.name }}</a>{% if item.indicator.is_sample %} {% include "components/sample.html" with flag=True %}{% endif %}{% include "plans/_shared_indicator.html" %}</td>
      {% if item.result %}
      <td class="govuk-table__cell govuk-table__cell--numeric">{{ item.result.actual|number }}{% if item.result.period %} <span class="govuk-body-s">({{ item.result.period.label }})</span>{% endif %}</td>
      <td class="govuk-table__cell govuk-table__cell--numeric">{{ item.result.expected|number }}</td>
      <td class="govuk-table__cell">{% status_tag item.result.status %}{% include "plans/_indicator_judgement.html" %}</td>
      {% else %}
      <td class="govuk-table__cell" colspan="3">{% translate "This indicator's passport cannot be assessed; staff have been shown why." %}</td>
      {% endif %}
      <td class="govuk-table__cell civitas-trend-cell">{% if sparkline %}{{ sparkline }}{% else %}<span class="govuk-body-s">{% translate "no values yet" %}</span>{% endif %}</td>
    </tr>
  {% endfor %}"""
WRITTEN = "{% load indicators %}{% indicator_rows rows %}"


def _normalised(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


@pytest.mark.parametrize("language", ["bg", "en"])
def test_rows_written_in_python_are_the_included_rows(language):
    call_command("load_demo", stdout=StringIO())
    plan = Plan.objects.select_related("municipality").get(slug="opr-2014-2020")
    other_plan = Plan.objects.filter(municipality=plan.municipality).exclude(pk=plan.pk).first()
    elements = list(PlanElement.objects.filter(plan=plan).order_by("pk"))
    indicator = Indicator.objects.filter(element__plan=plan).order_by("pk").first()
    indicator.also_elements.add(elements[-1], PlanElement.objects.filter(plan=other_plan).first())
    second = Indicator.objects.filter(element__plan=plan).order_by("pk")[1]
    second.code = "Т-1 (а+б)"  # a code with spaces, parentheses and Cyrillic in the address
    second.name_bg = second.name_en = 'Име с <знаци> & "кавички"'
    second.save()
    StatusOverride.objects.create(
        indicator=indicator, year=2020, status="at_risk", reason_bg="Причина <b>", reason_en="Reason <b>",
        decided_on=datetime.date(2020, 12, 1),
    )  # fmt: skip
    with translation.override(language):
        plan = Plan.objects.select_related("municipality").get(pk=plan.pk)
        tree, evaluation = indicator_selectors.evaluated_plan(plan, as_of=datetime.date(2020, 12, 31))
        charts.chart_tree(tree, labels={})
        nodes, stack = [], list(tree)
        while stack:
            node = stack.pop()
            nodes.append(node)
            stack.extend(node.children)
        compared, written = 0, ""
        for node in nodes:
            if not node.charted_indicators:
                continue
            context = {"rows": node.charted_indicators, "municipality": plan.municipality, "plan": plan}
            old = Template(INCLUDED).render(Context(context))
            new = Template(WRITTEN).render(Context(context))
            a, b = _normalised(new), _normalised(old)
            at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
            assert a == b, (a[max(0, at - 80) : at + 120], b[max(0, at - 80) : at + 120])
            compared += len(node.charted_indicators)
            written += new
    assert compared >= 5
    # Every kind of row was among those compared.
    for mark in (
        "civitas-override",
        "civitas-shared",
        "civitas-sample",
        "%D0%A2-1%20(%D0%B0+%D0%B1)",
        "&lt;знаци&gt;",
    ):
        assert mark in written
