"""One family of errors, each message naming the file, the row or key, and the fix."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable


class KttError(Exception):
    """Base of every error ktt raises on purpose; the command line prints it without traceback,
    and so does a notebook (``_render_traceback_``)."""

    def _render_traceback_(self) -> list[str]:
        """What IPython shows for this error in a cell: its name and message alone. The
        message names the file, row or key and what to do; the frames through ktt down to the
        ``raise`` (a dozen in ``kr.prepare``) told an analyst nothing more, and pushed the
        message below the fold (``%debug`` still reaches them)."""
        first, *rest = str(self).splitlines() or [""]
        return [f"{type(self).__name__}: {first}", *rest]


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


NEAR_MISS = 0.85
"""``difflib`` likeness above which an id the units table does not know reads as a mistyped
known one (krong-bongg, krong-bong): xa-ea-kar, a commune of its own, stays below it beside
xa-dang-kang."""


def did_you_mean(word: str, choices: Iterable[str], close: list[str] | None = None,
                 cutoff: float = 0.6) -> str:
    """The hint a message gives for a mistyped name: ``did you mean 'x'? `` with the choice
    closest to ``word`` by ``difflib`` (at least ``cutoff`` alike), or ``close`` when the
    caller found its own; nothing when none is close."""
    close = (difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
             if close is None else close)
    return f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""


def closest_first(word: str, choices: list[str]) -> list[str]:
    """``choices`` with the one closest to ``word`` (``difflib``) moved to the front: a list
    of ids a mistyped one most likely meant first."""
    close = difflib.get_close_matches(word, choices, n=1)
    return close + [c for c in choices if c not in close]


def as_slug(text: str) -> str:
    """The lowercase slug a unit written with its Vietnamese name would have: ``Xã Cư Pui``
    -> ``xa-cu-pui``, ``krông-bông`` -> ``krong-bong``; diacritics dropped (``đ`` is a letter of
    its own, not a ``d`` with a mark, so it is replaced), every other run of characters but
    a-z and 0-9 a hyphen. Empty when nothing of ``text`` is left."""
    bare = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in bare if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", bare.lower()).strip("-")


def existing(path, what: str, known: list[str], folder, error: type[KttError] = KttError):
    """``path`` when it is a file; else ``error`` naming it, the closest of ``known`` (the ids
    of the files of its kind in ``folder``, ``did_you_mean``) and every one of them, e.g.
    ``plans/x.yaml: no such plan; did you mean 'vietnam-340'? known plans: ... (in plans)``."""
    if not path.is_file():
        raise error(f"{path}: no such {what}; {did_you_mean(path.stem.lower(), known)}"
                    f"known {what}s: {', '.join(known)} (in {folder})")
    return path
