"""What a reader says about input it cannot use: one line naming the source and the problem."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class IngestError:
    """A one-line, user-facing reason why one input (or one line/record of it) was not read."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


class InputError(ValueError):
    """Raised by a reader for input it cannot turn into a Document."""
