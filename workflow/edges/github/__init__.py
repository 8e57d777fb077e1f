"""GitHub's REST API (the only HTTP in Khaosan) and a pull request as plain data for the core."""
