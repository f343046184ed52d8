"""One definition per vocabulary: the engine's enums. The model fields' choices are made from them,
and every member has its name wherever the app names or uses members one by one."""

from enum import StrEnum

import pytest
from django.core.management import call_command

from civitas.evaluation import engine
from civitas.evaluation.engine import Accumulation, Direction, Frequency, Measure, Note, Quantity, Status
from civitas.indicators import forms, imports, models, presentation, rules
from civitas.indicators.models import Indicator

VOCABULARIES = [
    ("direction", Direction, presentation.DIRECTION_LABELS),
    ("accumulation", Accumulation, presentation.ACCUMULATION_LABELS),
    ("measure", Measure, presentation.MEASURE_LABELS),
    ("frequency", Frequency, presentation.FREQUENCY_LABELS),
]


@pytest.mark.parametrize(("field", "vocabulary", "labels"), VOCABULARIES, ids=[v[0] for v in VOCABULARIES])
def test_the_model_choices_are_the_engine_vocabulary(field, vocabulary, labels):
    choices = Indicator._meta.get_field(field).choices
    assert [value for value, _label in choices] == [member.value for member in vocabulary]
    assert [label for _value, label in choices] == [labels[member] for member in vocabulary]
    assert Indicator._meta.get_field(field).default in {member.value for member in vocabulary}


def test_the_models_use_the_engine_enums_themselves():
    assert (models.Direction, models.Accumulation, models.Measure, models.Frequency) == (
        engine.Direction,
        engine.Accumulation,
        engine.Measure,
        engine.Frequency,
    )


@pytest.mark.parametrize(
    ("vocabulary", "table"),
    [
        (Direction, presentation.DIRECTION_LABELS),
        (Accumulation, presentation.ACCUMULATION_LABELS),
        (Measure, presentation.MEASURE_LABELS),
        (Frequency, presentation.FREQUENCY_LABELS),
        (Status, presentation.STATUS_LABELS),
        (Status, presentation.STATUS_COLOURS),
        (Note, presentation.NOTE_LABELS),
        (Quantity, rules.QUANTITY_LABELS),
        (Frequency, forms.PERIOD_EXAMPLES),
        (Frequency, imports.PERIOD_EXAMPLES),
    ],
)
def test_every_member_is_named_where_members_are_listed(vocabulary, table):
    assert set(table) == set(vocabulary)


def test_choices_follow_the_vocabulary_order_and_refuse_a_member_without_a_name():
    class Size(StrEnum):
        SMALL = "small"
        LARGE = "large"

    assert presentation.choices(Size, {Size.LARGE: "Large", Size.SMALL: "Small"}) == [
        ("small", "Small"),
        ("large", "Large"),
    ]
    with pytest.raises(KeyError):
        presentation.choices(Size, {Size.SMALL: "Small"})


@pytest.mark.django_db
def test_the_stored_values_and_choices_need_no_migration():
    call_command("makemigrations", "indicators", "--check", "--dry-run", verbosity=0)
