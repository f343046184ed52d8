"""Settings a production site relies on: a shared secret key, a clean `check --deploy`, and request
bodies refused by their declared size before anything reads them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civitas.forum.models import Topic
from civitas.testing.factories import MunicipalityFactory, UserFactory
from civitas.testing.signin import sign_in

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "DATABASE_URL": "postgres://civitas:secret@db.example.org:5432/civitas",
    "ALLOWED_HOSTS": "civitas.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://civitas.example.org",
    "SECURE_COOKIES": "1",
}


def run_manage(tmp_path, env: dict, *args: str) -> subprocess.CompletedProcess:
    """``manage.py`` in a fresh process with only ``env`` beside the basic environment (no key
    file in its var/ folder, none of the test run's own variables)."""
    base = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG", "LC_ALL"}}
    base |= {"DJANGO_SETTINGS_MODULE": "civitas.settings", "CIVITAS_VAR_DIR": str(tmp_path / "var")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_server_on_a_database_server_without_secret_key_refuses_to_start(tmp_path):
    result = run_manage(tmp_path, PRODUCTION, "check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert not (tmp_path / "var" / "secret-key").exists()  # no per-server key was made up


def test_the_embedded_default_and_make_keep_a_generated_key(tmp_path):
    assert run_manage(tmp_path, {}, "check").returncode == 0
    key = (tmp_path / "var" / "secret-key").read_text()
    assert len(key) >= 50
    # `make run` on PostgreSQL (CIVITAS_LOCAL_KEY=1 from the Makefile) uses the same kept key.
    assert run_manage(tmp_path, PRODUCTION | {"CIVITAS_LOCAL_KEY": "1"}, "check").returncode == 0
    assert (tmp_path / "var" / "secret-key").read_text() == key


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    env = PRODUCTION | {"SECRET_KEY": "k" * 20 + "Q7v!x9#Lm2@pR5$tZ8&wB4^nC6*dF1(hJ3)yU0-sA"}
    result = run_manage(tmp_path, env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_a_body_larger_than_the_limit_is_refused_before_it_is_read(client, settings):
    settings.CIVITAS_MAX_REQUEST_BYTES = 4096
    municipality = MunicipalityFactory()
    sign_in(client, UserFactory())
    url = reverse("forum:topic_create", args=[municipality.slug])
    photo = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff" + b"0" * 8000, content_type="image/jpeg")
    response = client.post(url, {"title": "Голяма снимка", "body": "Текст", "photo": photo})
    assert response.status_code == 413
    assert "Файлът е твърде голям" in response.content.decode()
    assert not Topic.objects.exists()
    assert get_user_model().objects.count() == 1


@pytest.mark.django_db
def test_a_lying_content_length_is_refused_too(client, settings):
    settings.CIVITAS_MAX_REQUEST_BYTES = 4096
    response = client.post(
        reverse("accounts:register"), {"email": "a@example.org"}, CONTENT_LENGTH="999999999"
    )
    assert response.status_code == 413
