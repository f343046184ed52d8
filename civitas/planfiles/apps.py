from django.apps import AppConfig


class PlanfilesConfig(AppConfig):
    """Plan files (docs/plan-format.md): a whole plan with its goal tree and projects as one YAML or
    JSON document, imported and exported through the plans' and projects' services."""

    name = "civitas.planfiles"
    label = "planfiles"
