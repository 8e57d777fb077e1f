"""Checking many items at once: the one way `check`, `status` and the publish gate check them, and the verdict cache."""
