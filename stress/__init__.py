"""Load and fault tests against a production server: ``python -m stress`` (``make stress``)."""
