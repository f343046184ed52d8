"""The limit on proposals per network address counts per client behind the reverse proxy: one
household's flood does not close a consultation to the rest of the town."""

import pytest
from django.urls import reverse
from django.utils import translation

from civitas.consultations import services
from civitas.consultations.models import ModerationEntry, Proposal
from civitas.testing.factories import UserFactory
from civitas.testing.signin import sign_in

from .conftest import paragraphs

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.1"
ANNA, BORIS = "203.0.113.5", "198.51.100.20"


def propose(client, consultation, client_address: str) -> int:
    sign_in(client, UserFactory())
    with translation.override("bg"):
        detail = reverse("consultations:detail", args=["sopot", consultation.slug])
    data = {"text": "Да се добави срок.", "target": f"p:{paragraphs(consultation)[0].pk}"}
    return client.post(detail, data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address).status_code


def test_proposals_behind_the_proxy_count_per_client(client, consultation, settings, monkeypatch):
    settings.CIVITAS_TRUSTED_PROXIES = [PROXY]
    monkeypatch.setattr(services, "ADDRESS_LIMIT", (2, 3600))
    assert [propose(client, consultation, ANNA) for _ in range(3)] == [303, 303, 400]
    assert ModerationEntry.objects.get(action="refused_flood").address == ANNA
    # Someone else behind the same proxy still takes part.
    assert propose(client, consultation, BORIS) == 303
    assert Proposal.objects.count() == 3
