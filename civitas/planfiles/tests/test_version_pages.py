"""The public pages of a plan's versions: the list, one version read from its snapshot, and two
versions compared, in both languages, cached for anonymous visitors, with fixed query counts."""

import pytest
from django.urls import reverse

from civitas.testing.factories import plan_with_versions

pytestmark = pytest.mark.django_db


def test_smoke(client):
    plan, first, second = plan_with_versions()
    m = plan.municipality.slug
    for url in (
        reverse("portal:plan_versions", args=[m, plan.slug]),
        reverse("portal:plan_version", args=[m, plan.slug, 1]),
        reverse("portal:plan_version_compare", args=[m, plan.slug]) + "?from=1&to=2",
    ):
        r = client.get(url)
        print(url, r.status_code)
        open(f"/tmp/vp/{url.strip('/').replace('/', '_')}.html", "wb").write(r.content)
