"""The public pages (``public_patterns``, namespace "reports", under <municipality>/reports/) and the
staff's (``staff_patterns``, namespace "reports_manage", under <municipality>/manage/reports/)."""

public_patterns: tuple[list, str] = ([], "reports")

staff_patterns: tuple[list, str] = ([], "reports_manage")
