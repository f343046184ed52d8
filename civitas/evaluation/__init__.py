"""Evaluation: the pure rules engine (``civitas.evaluation.engine``), evaluations by criteria and
recommendations. The engine imports nothing from Django; see ``docs/evaluation-rules.md``."""
