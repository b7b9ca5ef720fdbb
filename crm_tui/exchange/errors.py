"""Errors of the exchange format."""

from __future__ import annotations


class ImportFailed(Exception):
    """An import file has problems; nothing was written.

    `problems` lists (line number, message) pairs in line order, every problem found."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        self.problems = sorted(problems, key=lambda item: item[0])
        super().__init__("\n".join(f"{line}: {message}" for line, message in self.problems))
