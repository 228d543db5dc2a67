"""One family of errors, each message naming the file, the row or key, and the fix."""

from __future__ import annotations


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
