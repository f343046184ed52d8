"""Sample indicators for the Sopot demo (filled in by the monitoring part of the demo)."""


def load_indicators(municipality) -> None:
    return None
