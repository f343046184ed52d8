"""The public pages (``public_patterns``, namespace "publicity", under <municipality>/publicity/) and the
staff's (``staff_patterns``, namespace "publicity_manage", under <municipality>/manage/publicity/)."""

public_patterns: tuple[list, str] = ([], "publicity")

staff_patterns: tuple[list, str] = ([], "publicity_manage")
