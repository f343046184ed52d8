"""The shape docs/architecture.md promises, kept by tests: every domain app has the same files, and
no module hides a dependency in an import inside a function (import-linter, run by .ci/run, sees
only what is imported; a hidden import would let apps import each other unseen)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # the civitas package

# Every domain app: the same file names, so that any app's staff page, public page, permission
# rule and write are found in the same place.
DOMAIN_APPS = [
    "council",
    "plans",
    "projects",
    "indicators",
    "consultations",
    "forum",
    "surveys",
    "publicity",
    "evaluations",
    "reports",
]
SHAPE = [
    "models.py",
    "services.py",
    "selectors.py",
    "policy.py",
    "views.py",
    "manage_views.py",
    "urls.py",
    "forms.py",
    "tests",
]

# An import inside a function is allowed only where it cannot be at the top, said in the comment
# just above it, which begins with "# Imported here".
MARKER = "# imported here"


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if {"tests", "migrations"} & set(relative.parts):
            continue
        yield relative, path


def _explained(lines: list[str], index: int) -> bool:
    """Whether the comment block just above line ``index`` (0-based) begins with the marker."""
    first = None
    while index > 0 and lines[index - 1].strip().startswith("#"):
        index -= 1
        first = lines[index].strip().lower()
    return first is not None and first.startswith(MARKER)


def _hidden_imports(path: Path) -> list[int]:
    source = path.read_text()
    lines = source.splitlines()
    found = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(function):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                if not _explained(lines, node.lineno - 1):
                    found.append(node.lineno)
    return sorted(set(found))


def test_no_import_hides_inside_a_function():
    hidden = {str(relative): lines for relative, path in _modules() if (lines := _hidden_imports(path))}
    assert hidden == {}, f"imports inside functions (move them to the top, or explain): {hidden}"


def test_the_check_finds_a_hidden_import(tmp_path):
    module = tmp_path / "example.py"
    module.write_text(
        "def hidden():\n    from civitas.forum import services\n\n"
        "def explained():\n    # Imported here: the app registry is not ready\n    # at import time.\n    import json\n"
        "def unexplained():\n    # Some other comment.\n    import json\n"
    )
    assert _hidden_imports(module) == [2, 10]


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_every_domain_app_has_the_same_files(app):
    missing = [name for name in SHAPE if not (ROOT / app / name).exists()]
    assert missing == [], f"civitas/{app} lacks {missing}"
