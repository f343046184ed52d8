"""The deployment files in deploy/ are valid as written: nginx accepts its configurations, and the
systemd units run commands that exist."""

import configparser
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
CERTIFICATES = {
    "/etc/letsencrypt/live/civitas.example.org/fullchain.pem": "cert.pem",
    "/etc/letsencrypt/live/civitas.example.org/privkey.pem": "key.pem",
}


@pytest.mark.parametrize("conf", sorted((DEPLOY / "nginx").glob("*.conf")), ids=lambda p: p.name)
def test_nginx_accepts_the_configuration(conf, tmp_path):
    if shutil.which("nginx") is None or shutil.which("openssl") is None:
        pytest.skip("needs nginx and openssl: apt-get install -y nginx openssl")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=civitas.example.org",
         "-days", "1", "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    text = conf.read_text()
    for path, name in CERTIFICATES.items():  # the only files nginx -t opens
        assert path in text
        text = text.replace(path, str(tmp_path / name))
    (tmp_path / "site.conf").write_text(text)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nevents {{}}\n"
        f"http {{\n include /etc/nginx/mime.types;\n include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", str(tmp_path / "error.log")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # systemd keys are case-sensitive
    parser.read_string(path.read_text().replace("\\\n", " "))
    return parser


@pytest.mark.parametrize("path", sorted((DEPLOY / "systemd").glob("*.service")), ids=lambda p: p.name)
def test_each_service_runs_an_existing_command_with_the_env_file(path):
    service = unit(path)["Service"]
    assert service["EnvironmentFile"] == "/etc/civitas/civitas.env"
    assert service["User"] == "civitas"
    command = shlex.split(service["ExecStart"])
    assert command[0].startswith("/srv/civitas/app/.venv/bin/")
    if command[1:2] == ["manage.py"]:
        assert command[2] in get_commands(), f"{path.name}: no command {command[2]}"
    else:
        assert command[0].endswith("/gunicorn") and command[1] == "civitas.wsgi:application"


def test_the_env_file_names_only_settings_civitas_reads():
    settings_text = (DEPLOY.parent / "civitas" / "settings.py").read_text()
    names = [
        line.lstrip("#").split("=", 1)[0]
        for line in (DEPLOY / "civitas.env.example").read_text().splitlines()
        if "=" in line and not line.startswith("# ")
    ]
    assert len(names) > 15
    for name in names:
        assert f'"{name}"' in settings_text, f"{name} is not read by settings.py"
