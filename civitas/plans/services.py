"""Every write to plans and their goal trees. Validating, transactional, audit-logged."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.core import content
from civitas.core.content import Content
from civitas.core.errors import ConflictError
from civitas.core.models import AuditEvent, Municipality
from civitas.core.permissions import Action, acting_role
from civitas.core.services import audit_record, bump_version, field_changes, recorded_actor, row_content

from . import policy, rules
from .models import ElementAssessment, FinancialLine, Plan, PlanElement, PlanFormerSlug, PlanStatus

DEFAULT_LEVELS = [{"bg": "Стратегическа цел", "en": "Strategic goal"}]
PLAN_FIELDS = {
    "slug", "kind", "title_bg", "title_en", "period_start", "period_end", "vision_bg", "vision_en",
    "description_bg", "description_en", "level_names", "adopted_by_bg", "adopted_by_en", "is_sample", "position",
    "tolerance_amount", "tolerance_unit", "year_start_month", "currency",
}  # fmt: skip
ELEMENT_FIELDS = {"code", "title_bg", "title_en", "description_bg", "description_en"}
# A plan's fields that pages of other areas show: a consultation on the plan and forum topics about
# it name and link it.
SHOWN_BY_PARTICIPATION = {"title_bg", "title_en", "slug"}
# A plan's fields that a version holds: frozen while the plan is in force (policy.require_unfrozen).
# Its address name, order, sample mark and how its indicators are evaluated stay editable.
VERSIONED_PLAN_FIELDS = {
    "kind", "title_bg", "title_en", "period_start", "period_end", "vision_bg", "vision_en",
    "description_bg", "description_en", "level_names", "currency",
}  # fmt: skip


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _check_unknown(fields: dict, allowed: set) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


def _check_slug(municipality: Municipality, slug: str, exclude_pk=None) -> dict:
    try:
        validate_slug(slug)
    except ValidationError:
        return {"slug": [_("Use only Latin letters, digits, hyphens and underscores in the address name.")]}
    qs = Plan.objects.filter(municipality=municipality, slug=slug)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        return {
            "slug": [
                _("Another plan of the municipality already uses the address name “%(slug)s”.")
                % {"slug": slug}
            ]
        }
    return {}


def _plan_content(plan: Plan) -> dict:
    """Everything a deleted plan held, for the audit log: its fields, its whole tree and the
    projects linked to its elements (the projects themselves are kept)."""
    return row_content(plan) | {
        "elements": list(
            plan.elements.values(
                "id",
                "parent_id",
                "code",
                "title_bg",
                "title_en",
                "description_bg",
                "description_en",
                "position",
            )
        ),
        # Projects' contributions (projects.ProjectContribution), through their relation to the
        # elements: projects builds on plans, not the other way round.
        "links": list(
            plan.elements.filter(contributions__isnull=False)
            .order_by("contributions__position", "contributions__pk")
            .values_list("pk", "contributions__project__code")
        ),
        # Its versions, adopted ones included, with their snapshots: deleted with the plan.
        "versions": [
            {**version, "effective_on": str(version["effective_on"] or "")}
            for version in plan.versions.order_by("number").values(
                "number", "kind", "decision_id", "effective_on", "note_bg", "note_en", "snapshot"
            )
        ],
    }


@transaction.atomic
def plan_create(
    *,
    actor,
    municipality: Municipality,
    slug: str,
    kind: str,
    title_bg: str,
    period_start: int,
    period_end: int,
    status: str = PlanStatus.DRAFT,
    level_names: list[dict] | None = None,
    **fields,
) -> Plan:
    policy.require_create_plan(actor, municipality)
    _check_unknown(fields, PLAN_FIELDS)
    data = {"kind": kind, "title_bg": title_bg, "period_start": period_start, "period_end": period_end,
            "status": status, "level_names": level_names if level_names is not None else DEFAULT_LEVELS, **fields}  # fmt: skip
    errors = rules.check_plan(data)
    errors.update(_check_slug(municipality, slug))
    _raise(errors)
    plan = Plan(municipality=municipality, slug=slug, **data)
    plan.full_clean(validate_unique=False, validate_constraints=False)
    plan.save()
    # The address now leads to this plan, not to the one that once had it.
    PlanFormerSlug.objects.filter(municipality=municipality, slug=slug).delete()
    if plan.is_public:  # a draft shows on no public page, and has no cached evaluation yet
        content.changed(municipality, Content.PLANNING)
    audit_record(
        actor=actor, municipality=municipality, action="create", obj=plan, changes={"status": [None, status]},
        authority=Action.EDIT_PLAN,
    )  # fmt: skip
    return plan


@transaction.atomic
def plan_update(*, actor, plan: Plan, expected_version: int, **fields) -> Plan:
    policy.require_edit_plan(actor, plan)
    _check_unknown(fields, PLAN_FIELDS)
    if VERSIONED_PLAN_FIELDS & set(field_changes(plan, fields)):
        policy.require_unfrozen(plan.pk)
    data = {field: getattr(plan, field) for field in PLAN_FIELDS} | {"status": plan.status} | fields
    errors = rules.check_plan(data)
    if "slug" in fields:
        errors.update(_check_slug(plan.municipality, fields["slug"], exclude_pk=plan.pk))
    if "level_names" in fields:
        depth = _tree_height(plan)
        if depth > len(fields["level_names"] or []):
            errors.setdefault("level_names", []).append(
                _("The goal tree is %(depth)s levels deep: name at least that many levels.")
                % {"depth": depth}
            )
    _raise(errors)
    changes = field_changes(plan, fields)
    old_slug = plan.slug
    for field, value in fields.items():
        setattr(plan, field, value)
    bump_version(instance=plan, expected_version=expected_version)
    plan.save()
    if plan.slug != old_slug:
        _remember_slug(plan, old=old_slug, new=plan.slug)
    # A draft's fields show on no public page; its cached evaluation is keyed by its period.
    areas = [Content.PLANNING] if plan.is_public else []
    if SHOWN_BY_PARTICIPATION & set(changes):
        areas.append(Content.PARTICIPATION)
    if areas:
        content.changed(plan.municipality, *areas)
    audit_record(
        actor=actor, municipality=plan.municipality, action="update", obj=plan, changes=changes,
        authority=Action.EDIT_PLAN,
    )  # fmt: skip
    return plan


def _remember_slug(plan: Plan, *, old: str, new: str) -> None:
    """The plan's old address name keeps leading to it (a 301 to the new one); the new one is no
    longer a former name of any plan, since it now leads to this plan itself."""
    former = PlanFormerSlug.objects.filter(municipality_id=plan.municipality_id)
    former.filter(slug=new).delete()
    former.update_or_create(municipality_id=plan.municipality_id, slug=old, defaults={"plan": plan})


@transaction.atomic
def plan_change_status(*, actor, plan: Plan, status: str, expected_version: int) -> Plan:
    policy.require_edit_plan(actor, plan)
    _raise(rules.check_status_change(plan.status, status))
    old, was_public = plan.status, plan.is_public
    bump_version(instance=plan, expected_version=expected_version)
    plan.status = status
    plan.save(update_fields=["status", "version", "updated_at"])
    if was_public or plan.is_public:
        # A plan that is published or withdrawn also gains or loses the link from its consultation.
        areas = (
            [Content.PLANNING] if was_public == plan.is_public else [Content.PLANNING, Content.PARTICIPATION]
        )
        content.changed(plan.municipality, *areas)
    audit_record(
        actor=actor,
        municipality=plan.municipality,
        action="change_status",
        obj=plan,
        changes={"status": [old, status]},
        authority=Action.EDIT_PLAN,
    )
    return plan


def _refuse_if_measured(elements) -> None:
    """Indicators and their values are never deleted with the plan or element they hang on."""
    # The indicators (indicators.Indicator) through their relation to the elements: indicators
    # builds on plans, not the other way round. In the indicators' own order.
    codes = list(
        elements.filter(indicators__isnull=False)
        .order_by("indicators__position", "indicators__code", "indicators__pk")
        .values_list("indicators__code", flat=True)[:5]
    )
    if codes:
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "Indicators with their values hang on this part of the plan (%(codes)s): they "
                        "are not deleted with it. Archive the plan instead, or remove the indicators first."
                    )
                    % {"codes": ", ".join(codes)}
                ]
            }
        )


@transaction.atomic
def plan_delete(*, actor, plan: Plan) -> None:
    """Delete a plan and its goal tree; the audit log keeps what was deleted. Refused while
    indicators hang on it."""
    policy.require_delete_plan(actor, plan)
    _refuse_if_measured(PlanElement.objects.filter(plan=plan))
    deleted = _plan_content(plan)
    # Consultations and forum topics about the plan lose their link to it.
    areas = [Content.PLANNING, Content.PARTICIPATION] if plan.is_public else [Content.PARTICIPATION]
    content.changed(plan.municipality, *areas)
    audit_record(actor=actor, municipality=plan.municipality, action="delete", obj=plan, changes=deleted)
    plan.delete()


def _tree_changed(plan: Plan) -> None:
    """A goal tree changed shape. Even a draft's: its evaluation, which its editors see on the
    plan's page, is kept under the planning version and rolls scores up the tree."""
    content.changed(plan.municipality, Content.PLANNING)


def _children_map(plan: Plan) -> dict:
    children: dict = {}
    for pk, parent_id in PlanElement.objects.filter(plan=plan).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    return children


def _tree_height(plan: Plan) -> int:
    children = _children_map(plan)
    return max((rules.subtree_height(root, children) for root in children.get(None, [])), default=0)


def _depth(element: PlanElement | None) -> int:
    """Depth of a node below ``element`` (0 when element is None, i.e. top level)."""
    depth = 0
    while element is not None:
        depth += 1
        element = element.parent
    return depth


def _renumber(plan: Plan, parent_id, *, insert: PlanElement | None = None, at: int | None = None) -> None:
    others = PlanElement.objects.filter(plan=plan, parent_id=parent_id)
    if insert is not None:
        others = others.exclude(pk=insert.pk)
    siblings = list(others.order_by("position", "pk"))
    if insert is not None:
        at = len(siblings) if at is None else max(0, min(at, len(siblings)))
        siblings.insert(at, insert)
    for index, sibling in enumerate(siblings):
        if sibling.position != index or sibling is insert:
            sibling.position = index
            PlanElement.objects.filter(pk=sibling.pk).update(position=index, parent_id=parent_id)


@transaction.atomic
def element_create(
    *, actor, plan: Plan, code: str, title_bg: str, parent: PlanElement | None = None,
    position: int | None = None, **fields,
) -> PlanElement:  # fmt: skip
    policy.require_edit_plan(actor, plan)
    policy.require_unfrozen(plan.pk)
    _check_unknown(fields, ELEMENT_FIELDS)
    errors = rules.check_element({"code": code, "title_bg": title_bg})
    if parent is not None and parent.plan_id != plan.pk:
        errors.setdefault("parent", []).append(_("The parent element belongs to another plan."))
    else:
        errors.update(rules.check_depth(depth=_depth(parent), levels=len(plan.level_names)))
    if PlanElement.objects.filter(plan=plan, code=code).exists():
        errors.setdefault("code", []).append(
            _("Another element of this plan already has the code “%(code)s”.") % {"code": code}
        )
    _raise(errors)
    element = PlanElement(plan=plan, parent=parent, code=code, title_bg=title_bg, **fields)
    element.full_clean(exclude=["plan", "parent"], validate_unique=False, validate_constraints=False)
    element.position = 10**6
    element.save()
    _renumber(plan, element.parent_id, insert=element, at=position)
    _tree_changed(plan)
    audit_record(
        actor=actor, municipality=plan.municipality, action="create", obj=element,
        changes={"code": [None, code], "title_bg": [None, title_bg]}, authority=Action.EDIT_PLAN,
    )  # fmt: skip
    return element


@dataclass(frozen=True)
class NewElement:
    """An element for ``element_create_tree``. ``parent_code`` names an element earlier in the
    same list; None places the element at the top level."""

    code: str
    title_bg: str
    parent_code: str | None = None
    title_en: str = ""
    description_bg: str = ""
    description_en: str = ""


class ElementsRefused(ValidationError):
    """``element_create_tree`` refused elements: ``by_index`` maps the index of each refused
    element in the list to its {field: [messages]}."""

    def __init__(self, by_index: dict[int, dict[str, list[str]]]):
        super().__init__(
            [message for errors in by_index.values() for ms in errors.values() for message in ms]
        )
        self.by_index = by_index


@transaction.atomic
def element_create_tree(*, actor, plan: Plan, elements: Sequence[NewElement]) -> dict[str, PlanElement]:
    """Create many elements at once with the rules of ``element_create``: a code unique in the
    plan, a title, no deeper than the plan's levels. Returns the new elements by code.

    Elements come in tree order (a parent before its children); each is placed after its
    siblings listed before it, and new top-level elements after the plan's existing ones. The
    rows and their audit events are written in bulk, level by level, so the cost grows with the
    number of elements, not with its square (an element_create per element renumbers its
    siblings every time).
    """
    policy.require_edit_plan(actor, plan)
    policy.require_unfrozen(plan.pk)
    existing = list(PlanElement.objects.filter(plan=plan).values_list("code", "parent_id", "position"))
    taken = {code for code, _parent, _position in existing}
    # The next position under each parent, by the parent's code (None: the top level).
    next_position: dict[str | None, int] = {
        None: max((p + 1 for _c, parent, p in existing if parent is None), default=0)
    }
    levels = len(plan.level_names)
    depth_of: dict[str, int] = {}
    by_depth: dict[int, list[tuple[NewElement, PlanElement]]] = {}
    refused: dict[int, dict] = {}
    for index, new in enumerate(elements):
        errors = rules.check_element({"code": new.code, "title_bg": new.title_bg})
        depth: int | None
        if new.parent_code is None:
            depth = 0
        elif new.parent_code in depth_of:
            depth = depth_of[new.parent_code] + 1
            errors.update(rules.check_depth(depth=depth, levels=levels))
        else:
            depth = None
            errors.setdefault("parent", []).append(
                _("The parent “%(code)s” is not among the elements before this one.")
                % {"code": new.parent_code}
            )
        if new.code in taken:
            errors.setdefault("code", []).append(
                _("Another element of this plan already has the code “%(code)s”.") % {"code": new.code}
            )
        element = PlanElement(
            plan=plan, code=new.code, title_bg=new.title_bg, title_en=new.title_en,
            description_bg=new.description_bg, description_en=new.description_en,
            position=next_position.get(new.parent_code, 0),
        )  # fmt: skip
        try:
            element.full_clean(exclude=["plan", "parent"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, []).extend(messages)
        if errors or depth is None:
            refused[index] = errors
            continue
        taken.add(new.code)
        depth_of[new.code] = depth
        next_position[new.parent_code] = element.position + 1
        by_depth.setdefault(depth, []).append((new, element))
    if refused:
        raise ElementsRefused(refused)

    created: dict[str, PlanElement] = {}
    for depth in sorted(by_depth):
        level = by_depth[depth]
        for new, element in level:
            element.parent = created.get(new.parent_code) if new.parent_code is not None else None
        PlanElement.objects.bulk_create([element for _new, element in level])
        if any(element.pk is None for _new, element in level):  # a database that returns no ids
            ids = dict(
                PlanElement.objects.filter(plan=plan, code__in=[n.code for n, _e in level]).values_list(
                    "code", "pk"
                )
            )
            for new, element in level:
                element.pk = ids[new.code]
        created.update((new.code, element) for new, element in level)
    if created:
        _tree_changed(plan)
        _audit_created(actor=actor, municipality=plan.municipality, objects=list(created.values()))
    return created


def _created_changes(obj) -> dict:
    """What the public change history says of a new element: its code and title."""
    if isinstance(obj, PlanElement):
        return {"code": [None, obj.code], "title_bg": [None, obj.title_bg]}
    return {}


def _audit_created(*, actor, municipality: Municipality, objects: list) -> None:
    """What ``audit_record(action="create")`` writes for each object, in one bulk insert."""
    role = acting_role(actor, municipality, Action.EDIT_PLAN)
    actor = recorded_actor(actor)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            municipality=municipality, actor=actor, action="create", object_type=obj._meta.label_lower,
            object_id=str(obj.pk), object_repr=str(obj)[:300], changes=_created_changes(obj), role=role,
        )
        for obj in objects
    )  # fmt: skip


@transaction.atomic
def element_update(*, actor, element: PlanElement, expected_version: int, **fields) -> PlanElement:
    policy.require_edit_element(actor, element)
    policy.require_unfrozen(element.plan_id)
    _check_unknown(fields, ELEMENT_FIELDS)
    data = {"code": element.code, "title_bg": element.title_bg} | fields
    errors = rules.check_element(data)
    if "code" in fields and (
        PlanElement.objects.filter(plan_id=element.plan_id, code=fields["code"])
        .exclude(pk=element.pk)
        .exists()
    ):
        errors.setdefault("code", []).append(
            _("Another element of this plan already has the code “%(code)s”.") % {"code": fields["code"]}
        )
    _raise(errors)
    changes = field_changes(element, fields)
    for field, value in fields.items():
        setattr(element, field, value)
    bump_version(instance=element, expected_version=expected_version)
    element.save()
    if element.plan.is_public:  # a draft's element texts show on no public page
        content.changed(element.plan.municipality, Content.PLANNING)
    audit_record(
        actor=actor,
        municipality=element.plan.municipality,
        action="update",
        obj=element,
        changes=changes,
        authority=Action.EDIT_PLAN,
    )
    return element


@transaction.atomic
def element_move(*, actor, element: PlanElement, parent: PlanElement | None, position: int) -> PlanElement:
    """Move an element (with its subtree) under another parent of the same plan, or reorder it."""
    policy.require_edit_element(actor, element)
    policy.require_unfrozen(element.plan_id)
    plan = element.plan
    children = _children_map(plan)
    errors: dict = {}
    if parent is not None:
        if parent.plan_id != plan.pk:
            errors["parent"] = [_("The new parent belongs to another plan.")]
        elif parent.pk == element.pk or parent.pk in rules.descendants(element.pk, children):
            errors["parent"] = [
                _("An element cannot be placed under itself or under one of its own sub-elements.")
            ]
    if not errors:
        height = rules.subtree_height(element.pk, children)
        errors.update(rules.check_depth(depth=_depth(parent) + height - 1, levels=len(plan.level_names)))
    _raise(errors)
    old_parent_id = element.parent_id
    element.parent = parent
    PlanElement.objects.filter(pk=element.pk).update(parent=parent)
    _renumber(plan, element.parent_id, insert=element, at=position)
    if old_parent_id != element.parent_id:
        _renumber(plan, old_parent_id)
    element.refresh_from_db()
    _tree_changed(plan)
    audit_record(
        actor=actor, municipality=plan.municipality, action="move", obj=element,
        changes={"parent": [old_parent_id, element.parent_id], "position": position},
        authority=Action.EDIT_PLAN,
    )  # fmt: skip
    return element


@transaction.atomic
def element_delete(*, actor, element: PlanElement) -> None:
    policy.require_edit_element(actor, element)
    policy.require_unfrozen(element.plan_id)
    plan = element.plan
    children = _children_map(plan)
    subtree = PlanElement.objects.filter(pk__in={element.pk} | rules.descendants(element.pk, children))
    _refuse_if_measured(subtree)
    removed = list(
        subtree.values(
            "id", "parent_id", "code", "title_bg", "title_en", "description_bg", "description_en", "position"
        )
    )
    _tree_changed(plan)
    audit_record(
        actor=actor,
        municipality=plan.municipality,
        action="delete",
        obj=element,
        changes={"elements": removed},
        authority=Action.EDIT_PLAN,
    )
    parent_id = element.parent_id
    element.delete()
    _renumber(plan, parent_id)


# The indicative financial table ----------------------------------------------------------------


def _touch_plan(plan: Plan, expected_version: int | None) -> None:
    """A change to the plan's financial table moves the plan's version on when the editor names the
    version they started from (two editors are detected), and always marks the plan as updated."""
    if expected_version is not None:
        bump_version(instance=plan, expected_version=expected_version)
    Plan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())


def _financial_changed(plan: Plan) -> None:
    if plan.is_public:  # a draft's table shows on no public page
        content.changed(plan.municipality, Content.PLANNING)


def _check_financial(plan: Plan, data: dict, *, exclude_pk=None) -> dict:
    """The rules of a line, its element in this plan, and one line per element, source and year
    (the database cannot keep lines without an element or a year unique: NULLs are distinct)."""
    errors = rules.check_financial_line(data, period_start=plan.period_start, period_end=plan.period_end)
    element = data.get("element")
    if element is not None and element.plan_id != plan.pk:
        errors.setdefault("element", []).append(_("The element belongs to another plan."))
    elif not errors:
        same = FinancialLine.objects.filter(
            plan=plan, element=element, source=data["source"], year=data["year"]
        ).exclude(pk=exclude_pk)
        if same.exists():
            errors.setdefault("__all__", []).append(
                _("The table already has a line for this element, source and year: change that line instead.")
            )
    return errors


@transaction.atomic
def financial_table_fill(*, actor, plan: Plan, lines: list[dict]) -> list[FinancialLine]:
    """Fill an empty financial table at once (a plan file's table): every line checked by the rules
    of a single line, one line per element, source and year among them, one insert and one audit
    event. ``lines``: dicts of element (or None), source, year (or None), amount, currency."""
    policy.require_edit_plan(actor, plan)
    policy.require_unfrozen(plan.pk)
    errors: dict = {}
    seen: set[tuple] = set()
    for line in lines:
        data = {"currency": plan.currency} | line
        for field, messages in _check_financial(plan, data).items():
            errors.setdefault(field, []).extend(messages)
        key = (getattr(line.get("element"), "pk", None), line.get("source"), line.get("year"))
        if key in seen:
            errors.setdefault("__all__", []).append(
                _("The table already has a line for this element, source and year: change that line instead.")
            )
        seen.add(key)
    _raise(errors)
    created = FinancialLine.objects.bulk_create(
        FinancialLine(plan=plan, position=position, **({"currency": plan.currency} | line
                                                        | {"amount": rules.to_amount(line["amount"])}))
        for position, line in enumerate(lines)
    )  # fmt: skip
    if created:
        _touch_plan(plan, None)
        _financial_changed(plan)
        audit_record(
            actor=actor, municipality=plan.municipality, action="fill_financial_table", obj=plan,
            changes={"lines": [[getattr(line.element, "code", None), line.source, line.year, str(line.amount),
                                line.currency] for line in created]},
        )  # fmt: skip
    return created


@transaction.atomic
def financial_line_create(
    *, actor, plan: Plan, source: str, amount, element: PlanElement | None = None, year: int | None = None,
    currency: str | None = None, expected_version: int | None = None,
) -> FinancialLine:  # fmt: skip
    """Add a line to the plan's indicative financial table (``element`` None: the plan as a whole;
    ``year`` None: the whole period). Its currency is the plan's unless given."""
    policy.require_edit_plan(actor, plan)
    policy.require_unfrozen(plan.pk)
    data = {"element": element, "source": source, "amount": amount, "year": year,
            "currency": currency or plan.currency}  # fmt: skip
    _raise(_check_financial(plan, data))
    line = FinancialLine(plan=plan, **data | {"amount": rules.to_amount(amount)})
    line.full_clean(exclude=["plan", "element"], validate_unique=False, validate_constraints=False)
    last = plan.financial_lines.order_by("-position").values_list("position", flat=True).first()
    line.position = 0 if last is None else last + 1
    _touch_plan(plan, expected_version)
    line.save()
    _financial_changed(plan)
    audit_record(actor=actor, municipality=plan.municipality, action="create", obj=line)
    return line


FINANCIAL_FIELDS = {"element", "source", "amount", "year", "currency"}


@transaction.atomic
def financial_line_update(
    *, actor, line: FinancialLine, expected_version: int | None = None, **fields
) -> FinancialLine:
    plan = line.plan
    policy.require_edit_plan(actor, plan)
    policy.require_unfrozen(plan.pk)
    _check_unknown(fields, FINANCIAL_FIELDS)
    data = {field: getattr(line, field) for field in FINANCIAL_FIELDS} | fields
    _raise(_check_financial(plan, data, exclude_pk=line.pk))
    if "amount" in fields:
        fields["amount"] = rules.to_amount(fields["amount"])
    changes = field_changes(line, fields)
    for field, value in fields.items():
        setattr(line, field, value)
    line.full_clean(exclude=["plan", "element"], validate_unique=False, validate_constraints=False)
    _touch_plan(plan, expected_version)
    line.save()
    _financial_changed(plan)
    audit_record(actor=actor, municipality=plan.municipality, action="update", obj=line, changes=changes)
    return line


@transaction.atomic
def financial_line_delete(*, actor, line: FinancialLine, expected_version: int | None = None) -> None:
    plan = line.plan
    policy.require_edit_plan(actor, plan)
    policy.require_unfrozen(plan.pk)
    _touch_plan(plan, expected_version)
    _financial_changed(plan)
    audit_record(actor=actor, municipality=plan.municipality, action="delete", obj=line,
                 changes=row_content(line))  # fmt: skip
    line.delete()


# Annual assessments -----------------------------------------------------------------------------


@transaction.atomic
def assessment_save(
    *, actor, element: PlanElement, year: int, achieved_bg: str, achieved_en: str = "", obstacles_bg: str = "",
    obstacles_en: str = "", publish: bool, expected_version: int | None,
) -> ElementAssessment:  # fmt: skip
    """Write (or rewrite) an element's assessment of one year: what was done, what held it back.
    ``publish``: shown on the plan's page (and in the annual report) or kept for staff; taking a
    published one back is recorded. ``expected_version``: the version the editor saw (None for a
    new one; a new one created meanwhile by someone else is a conflict too)."""
    plan = element.plan
    policy.require_edit_plan(actor, plan)
    texts = {"achieved_bg": achieved_bg.strip(), "achieved_en": achieved_en.strip(),
             "obstacles_bg": obstacles_bg.strip(), "obstacles_en": obstacles_en.strip()}  # fmt: skip
    _raise(
        rules.check_assessment(
            year=year, period=(plan.period_start, plan.period_end), publish=publish, **texts
        )
    )
    found = ElementAssessment.objects.select_for_update().filter(element=element, year=year).first()
    changes: dict[str, list]
    if found is None:
        if expected_version not in (None, 0):
            raise ConflictError()
        assessment = ElementAssessment(element=element, year=year)
        was_public = False
        changes = {field: [None, value] for field, value in texts.items()}
    else:
        if expected_version is None:  # the editor saw none: it was written meanwhile
            raise ConflictError()
        assessment = found
        bump_version(instance=assessment, expected_version=expected_version)
        was_public = found.is_published
        changes = field_changes(found, texts)
    for field, value in texts.items():
        setattr(assessment, field, value)
    if publish != was_public:
        changes["is_published"] = [was_public, publish]
    assessment.is_published = publish
    if publish and not was_public:
        assessment.published_at = timezone.now()
    elif not publish:
        assessment.published_at = None
    assessment.updated_by = recorded_actor(actor)
    assessment.save()
    if publish or was_public:
        content.changed(plan.municipality, Content.PLANNING)
    action = "create" if found is None else ("unpublish" if was_public and not publish else "update")
    audit_record(actor=actor, municipality=plan.municipality, action=action, obj=assessment, changes=changes)
    return assessment
