"""One family of errors, each message naming the file, the row or key, and the fix."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class KttError(Exception):
    """Base of every error ktt raises on purpose; the command line prints it without traceback."""


class DataError(KttError):
    """An observations or sources file that cannot be used.

    Parameters
    ----------
    problems : list of str
        One line per problem, each naming the file, line and column and what to do.
    """

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class TargetError(KttError):
    """A targets file or a reading that cannot be used."""


class ScenarioError(KttError):
    """A scenario file or parameter that cannot be used."""


def did_you_mean(word: str, choices: Iterable[str], close: list[str] | None = None,
                 cutoff: float = 0.6) -> str:
    """The hint a message gives for a mistyped name: ``did you mean 'x'? `` with the choice
    closest to ``word`` by ``difflib`` (at least ``cutoff`` alike), or ``close`` when the
    caller found its own; nothing when none is close."""
    close = (difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
             if close is None else close)
    return f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
