"""Every read of the council's register: the filtered list, one decision, and what a decision acts on.

What a decision acts on is found generically: every model that holds a ForeignKey to
``council.Decision`` (``plans.PlanVersion.decision``, ``projects.Project.cofinancing_decision``,
``consultations.Consultation.results_decision``, the reports and evaluations...) is a reverse
relation in ``Decision._meta.related_objects``, so this lower layer imports none of them. A higher
app appears on the decision's page by adding the ForeignKey alone (with a ``related_name`` and a
``verbose_name`` that says what the decision does to the record, e.g. "approves the project's
co-financing"). The related model may describe its records better with these optional hooks:

- ``decision_act_queryset(cls, queryset)`` (classmethod): narrow the records to those the public
  may see and ``select_related`` what the two below read, so that each relation costs one query;
- ``decision_act_label(self)``: the record's name in the active language (default: ``str(self)``);
- ``get_absolute_url(self)``: the record's public page, linked from the decision (default: no link).
- ``decision_act_names`` (class attribute): {ForeignKey name: what the decision does to the record},
  when the ForeignKey's ``verbose_name`` does not say it (default: the ``verbose_name``).
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.http import Http404
from django.utils.text import capfirst

from civitas.core.models import Municipality
from civitas.core.selectors import FileAccess

from .models import Decision, SessionKind


@dataclass
class DecisionFilters:
    year: int | None = None
    session_kind: str = ""
    acts_on: str = ""  # a relation's name, e.g. "plan_versions"
    q: str = ""

    @property
    def active(self) -> bool:
        return bool(self.year or self.session_kind or self.acts_on or self.q)


@dataclass
class Relation:
    """A kind of record a decision may act on: the reverse relation's name and what it says."""

    name: str
    label: str


def _act_name(rel) -> str:
    """What the decision does to the related records: "Approves the project's co-financing"."""
    names = getattr(rel.related_model, "decision_act_names", {})
    return capfirst(str(names.get(rel.field.name) or rel.field.verbose_name))


def relations() -> list[Relation]:
    """The kinds of record that point at decisions, in a stable order (by relation name)."""
    found = [
        Relation(name=str(rel.get_accessor_name()), label=_act_name(rel))
        for rel in Decision._meta.related_objects
        if rel.one_to_many and rel.related_model._meta.app_label != "council"
    ]
    return sorted(found, key=lambda relation: relation.name)


def _rel(name: str):
    for rel in Decision._meta.related_objects:
        if (
            rel.one_to_many
            and rel.related_model._meta.app_label != "council"
            and rel.get_accessor_name() == name
        ):
            return rel
    return None


def _visible(rel, queryset):
    """The related model's records the public may see (its ``decision_act_queryset`` hook)."""
    model = rel.related_model
    return model.decision_act_queryset(queryset) if hasattr(model, "decision_act_queryset") else queryset


def decision_filters_from(params, *, municipality: Municipality | None) -> tuple[DecisionFilters, dict]:
    """The list's filters from query parameters; values that name nothing are reported, not used."""
    errors: dict[str, bool] = {}
    year = None
    if raw_year := (params.get("year") or "").strip():
        if raw_year.isdigit() and 1900 <= int(raw_year) <= 2999:
            year = int(raw_year)
        else:
            errors["year"] = True
    session_kind = (params.get("session") or "").strip()
    if session_kind and session_kind not in SessionKind.values:
        errors["session"] = True
        session_kind = ""
    acts_on = (params.get("acts_on") or "").strip()
    if acts_on and _rel(acts_on) is None:
        errors["acts_on"] = True
        acts_on = ""
    q = (params.get("q") or "").strip()[:200]
    return DecisionFilters(year=year, session_kind=session_kind, acts_on=acts_on, q=q), errors


def decision_list(*, municipality: Municipality | None, filters: DecisionFilters | None = None):
    """The municipality's decisions (every municipality's when None, for the API), newest first,
    passing the filters (one query; no joins)."""
    filters = filters or DecisionFilters()
    qs = (
        Decision.objects.all() if municipality is None else Decision.objects.filter(municipality=municipality)
    )
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.session_kind:
        qs = qs.filter(session_kind=filters.session_kind)
    if filters.acts_on:
        rel = _rel(filters.acts_on)
        pointing = _visible(
            rel, rel.related_model._default_manager.filter(**{f"{rel.field.name}__isnull": False})
        )
        qs = qs.filter(pk__in=pointing.values(rel.field.name))
    if filters.q:
        needle = filters.q.casefold()
        words = Q(search_text__contains=needle)
        qs = qs.filter(words | Q(number=int(needle)) if needle.isdigit() else words)
    return qs.order_by("-date", "-number", "pk")


def decision_years(*, municipality: Municipality) -> list[int]:
    """The years the register has decisions in, newest first (for the year filter)."""
    return list(
        Decision.objects.filter(municipality=municipality)
        .values_list("year", flat=True)
        .annotate(n=Count("pk"))
        .order_by("-year")
    )


def decision_get(*, municipality: Municipality, year: int, number: int) -> Decision:
    try:
        return Decision.objects.select_related("municipality").get(
            municipality=municipality, year=year, number=number
        )
    except Decision.DoesNotExist:
        raise Http404("No such decision") from None


def decision_get_by_pk(*, municipality: Municipality, pk: int) -> Decision:
    try:
        return Decision.objects.get(municipality=municipality, pk=pk)
    except Decision.DoesNotExist:
        raise Http404("No such decision") from None


def decision_choices(*, municipality: Municipality):
    """The municipality's decisions for a form's choice, newest first (one query)."""
    return Decision.objects.filter(municipality=municipality).order_by("-date", "-number")


@dataclass
class Act:
    label: str
    url: str | None
    is_sample: bool = False


@dataclass
class ActGroup:
    """The records of one kind a decision acts on: "Approves the project's co-financing: ..."."""

    name: str
    label: str
    acts: list[Act] = field(default_factory=list)


def _describe(obj) -> Act:
    label = obj.decision_act_label() if hasattr(obj, "decision_act_label") else str(obj)
    url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else None
    return Act(label=label, url=url, is_sample=bool(getattr(obj, "is_sample", False)))


def decision_acts(decision: Decision) -> list[ActGroup]:
    """Every record that points at ``decision``, grouped by relation: one query per relation,
    however many records there are."""
    groups = []
    for rel in Decision._meta.related_objects:
        if not rel.one_to_many or rel.related_model._meta.app_label == "council":
            continue
        model = rel.related_model
        queryset = _visible(rel, model._default_manager.filter(**{rel.field.name: decision}))
        acts = [_describe(obj) for obj in queryset]
        if acts:
            groups.append(ActGroup(name=str(rel.get_accessor_name()), label=_act_name(rel), acts=acts))
    return sorted(groups, key=lambda group: group.name)


def decision_is_referenced(decision: Decision) -> list[str]:
    """The kinds of record (their verbose names, plural) that point at the decision, however they
    are shown: one query per relation. Empty when the decision may be deleted."""
    kinds = []
    for rel in Decision._meta.related_objects:
        if (
            rel.one_to_many
            and rel.related_model._default_manager.filter(**{rel.field.name: decision}).exists()
        ):
            kinds.append(str(rel.related_model._meta.verbose_name_plural))
    return sorted(kinds)


def decision_access(user, name: str) -> FileAccess | None:
    """A decision's document is public, as the register is (portal.media); None if no decision
    stores ``name``."""
    if name and Decision.objects.filter(document=name).exists():
        return FileAccess.PUBLIC
    return None
