"""What a reader says about input it cannot use: one line naming the source and the problem."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class IngestError:
    """A one-line, user-facing reason why one input (or one line/record of it) was not read."""

    source: str
    message: str

    def __str__(self) -> str:
        """One line, even when a parser's own message (quoted in `message`) has line breaks."""
        return " ".join(f"{self.source}: {self.message}".split("\n")).replace("\r", "")


class InputError(ValueError):
    """Raised by a reader for input it cannot turn into a Document."""
