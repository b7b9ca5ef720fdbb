"""Errors of the exchange format."""

from __future__ import annotations

# Problems kept with their messages; a binary or runaway file has one per line, and memory
# must stay bounded whatever the input (the rest are only counted).
KEPT_PROBLEMS = 1000


class Problems(list[tuple[int, str]]):
    """(line, message) pairs: the first KEPT_PROBLEMS kept, the others counted.

    `len()` is the number of every problem found (rules compare it before and after a check
    to see whether the check found any); iterating gives the kept ones."""

    dropped = 0

    def append(self, item: tuple[int, str]) -> None:
        if list.__len__(self) < KEPT_PROBLEMS:
            super().append(item)
        else:
            self.dropped += 1

    def __len__(self) -> int:
        return list.__len__(self) + self.dropped

    def __bool__(self) -> bool:
        return len(self) > 0


class ImportFailed(Exception):
    """An import file has problems; nothing was written.

    `problems` lists (line number, message) pairs in line order (at most KEPT_PROBLEMS of
    them); `count` is the number of every problem found."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        self.count = len(problems)
        self.problems = sorted(problems, key=lambda item: item[0])
        super().__init__("\n".join(f"{line}: {message}" for line, message in self.problems))
