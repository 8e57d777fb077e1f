"""The office's social channels: one module per service (facebook.py, line.py) on one HTTP helper (http.py)."""
