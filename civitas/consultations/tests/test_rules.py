"""The pure rules: the period, plain text, splitting a pasted draft, when proposals are accepted."""

import datetime

import pytest
from django.utils import timezone

from civitas.consultations import rules

NOW = timezone.now()


@pytest.mark.parametrize(
    ("days", "reason", "error"),
    [(30, "", None), (45, "", None), (29, "", "short_period_reason"), (14, "Спешна промяна в закона", None),
     (0, "", "closes_at"), (-3, "причина", "closes_at")],
)  # fmt: skip
def test_period_is_30_days_unless_a_reason_is_given(days, reason, error):
    errors = rules.period_errors(NOW, NOW + datetime.timedelta(days=days), reason)
    assert (next(iter(errors)) if errors else None) == error


@pytest.mark.parametrize(
    ("text", "refused"),
    [("Обикновен текст с < и > знаци", False), ("<script>alert(1)</script>", True), ("<b>удебелен</b>", True),
     ("<img src=x onerror=alert(1)>", True), ("javascript:alert(1)", True), ("a onclick=alert(1)", True),
     ("", True), ("x" * 5001, True), ("x" * 5000, False)],
)  # fmt: skip
def test_proposals_are_plain_text(text, refused):
    _cleaned, errors = rules.text_errors(text)
    assert bool(errors) is refused


def test_a_pasted_draft_is_split_by_headings_and_blank_lines():
    text = "Увод.\n\n# Раздел едно\n\nПърви\nред две.\n\n\n\nВтори.\n\nГлава 2. Заключение\n\nКрай."
    sections = rules.split_draft(text)
    assert [(s.heading, s.paragraphs) for s in sections] == [
        ("", ["Увод."]),
        ("Раздел едно", ["Първи\nред две.", "Втори."]),
        ("Глава 2. Заключение", ["Край."]),
    ]
    assert rules.split_draft("") == []
    # A long paragraph that starts with "Раздел" is not a heading.
    assert rules.split_draft("Раздел 1 гласи\nнещо на два реда.")[0].heading == ""


def test_proposals_are_accepted_only_while_open_within_the_period():
    opens, closes = NOW - datetime.timedelta(days=1), NOW + datetime.timedelta(days=29)
    assert rules.proposal_refusal(status="open", opens_at=opens, closes_at=closes, now=NOW) is None
    assert "приключи" in rules.proposal_refusal(status="open", opens_at=opens, closes_at=closes, now=closes)
    assert rules.proposal_refusal(
        status="open", opens_at=NOW + datetime.timedelta(hours=1), closes_at=closes, now=NOW
    )
    assert rules.proposal_refusal(status="draft", opens_at=opens, closes_at=closes, now=NOW)
    assert rules.proposal_refusal(status="closed", opens_at=opens, closes_at=closes, now=NOW)
