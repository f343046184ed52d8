"""The public pages (``public_patterns``, namespace "council", under <municipality>/decisions/) and the
staff's (``staff_patterns``, namespace "council_manage", under <municipality>/manage/decisions/)."""

public_patterns: tuple[list, str] = ([], "council")

staff_patterns: tuple[list, str] = ([], "council_manage")
