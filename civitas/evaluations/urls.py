"""The public pages (``public_patterns``, namespace "evaluations", under <municipality>/evaluations/) and the
staff's (``staff_patterns``, namespace "evaluations_manage", under <municipality>/manage/evaluations/)."""

public_patterns: tuple[list, str] = ([], "evaluations")

staff_patterns: tuple[list, str] = ([], "evaluations_manage")
