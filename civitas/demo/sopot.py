"""The Sopot demo: the municipality and the demo accounts.

The plans, goals and projects are plan files in ``data/`` (docs/plan-format.md), loaded through
the plan-file importer: the press release's text word for word, sample values marked as such.
Public facts only: NUTS BG421 (Plovdiv), population 8,375 at the 2021 census. No EKATTE code is
set here (the demo does not invent one).
"""

from typing import Any

PLAN_FILES = [  # in loading order; each file's plan.position puts the development plan first
    "opr-2014-2020.yaml",
    "strategia-gradoustroistvo-zhilishta.yaml",
    "pravila-monitoring-ocenka.yaml",
]

SOPOT: dict[str, Any] = {
    "slug": "sopot",
    "name_bg": "Община Сопот",
    "name_en": "Sopot Municipality",
    "nuts": "BG421",
    "population": 8375,
    "population_year": 2021,
    "address_bg": "гр. Сопот, обл. Пловдив",
    "address_en": "Sopot, Plovdiv Province",
}

# Demo accounts exist only in the demo data; one password for all of them, printed by load_demo.
DEMO_PASSWORD = "sopot-demo-2014"
# Staff sign in with a second factor: the demo staff accounts and the superuser share this
# authenticator key (base32, time-based, six digits), printed by load_demo with the current code.
DEMO_TOTP_SECRET = "CIVITASSOPOTDEMOTWOFACTORSECRETS"
DEMO_ACCOUNTS = [
    ("sopot-admin", "administrator", "Мария", "Иванова"),
    ("sopot-planner", "planner", "Георги", "Петров"),
    ("sopot-projects", "project_manager", "Елена", "Димитрова"),
    ("sopot-indicators", "indicator_owner", "Николай", "Стоянов"),
    ("sopot-verifier", "verifier", "Десислава", "Колева"),
    ("sopot-moderator", "moderator", "Иван", "Георгиев"),
    ("sopot-secretary", "council_secretary", "Росица", "Ангелова"),
    ("sopot-evaluator", "evaluator", "Стефан", "Маринов"),
]
