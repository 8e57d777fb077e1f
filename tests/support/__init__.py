"""Helpers shared by the unit and integration tests (not a test module)."""
