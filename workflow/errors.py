"""The one exception the CLI catches: a usage or set-up problem, said in Thai."""

from __future__ import annotations

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


class KhaosanError(Exception):
    """Raised by commands for what a person must fix before the command can run."""

    def __init__(self, code: str, message: str, hint: str = "", exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint
        self.exit_code = exit_code

    def __str__(self) -> str:
        return f"{self.code} {self.message}" + (f" — {self.hint}" if self.hint else "")
