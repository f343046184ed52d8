"""The load and fault test's verdict (stress/run.py), without a server: which failures of the load
belong to which fault, and which of them count as clear answers."""

from stress.run import errors_by_window, unclear_errors


def _fault(name: str, start: float, end: float) -> dict:
    return {"fault": name, "start": start, "end": end}


def test_a_failure_belongs_to_the_latest_fault_that_began_before_it():
    results = [
        _fault("task worker killed during an import", 100, 120),
        _fault("PostgreSQL restarted", 121, 128),
    ]
    records = [
        {"kind": "error", "t": 122.0, "status": 503},  # within the import's margin, but the restart's
        {"kind": "error", "t": 110.0, "status": 500},
        {"kind": "error", "t": 300.0, "status": 0, "error": "ConnectionRefusedError"},
        {"kind": "survey", "t": 122.0, "status": 303},  # not a failure
    ]
    by_fault, outside = errors_by_window(records, results)
    assert by_fault == {
        "PostgreSQL restarted": {"503": 1},
        "task worker killed during an import": {"500": 1},
        "no fault": {"ConnectionRefusedError": 1},
    }
    assert [r["t"] for r in outside] == [300.0]


def test_only_a_503_while_postgresql_restarts_is_a_clear_answer():
    assert unclear_errors({"PostgreSQL restarted": {"503": 12}}) == ""
    assert unclear_errors({"PostgreSQL restarted": {"500": 1}}) == "1 × 500 during “PostgreSQL restarted”"
    assert unclear_errors({"upload disk full": {"503": 2}}) == "2 × 503 during “upload disk full”"
