"""Check that a report reproduces: the files it read are the ones it recorded, and a rerun
with its parameters, on a kernel of its own and into a folder of its own, writes the same
files byte for byte. The report under check is never touched."""

from __future__ import annotations

import html
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from papermill.translators import PythonTranslator

from ktt import config
from ktt.errors import KttError
from ktt.inputs.loading import file_sha256
from ktt.report.provenance import COMMIT, versions
from ktt.report.runner import run_report

FILES = ("summary.json", "report.ipynb", "report.html")
"""The files of a report that a rerun must write again, byte for byte."""


@dataclass(frozen=True)
class Verification:
    """What ``verify_report`` found."""

    folder: Path
    """The report checked."""
    notebook: str
    """The notebook that made it (``notebooks/<notebook>.ipynb``)."""
    parameters: dict
    """The parameters papermill gave it: its scenario's and the run's ``-p``."""
    inputs: pd.DataFrame
    """``file, path, status``: each file the report recorded with its hash, ``same``,
    ``changed`` or ``missing`` now."""
    versions: pd.DataFrame
    """``package, recorded, now`` of the packages whose version differs (empty: none)."""
    files: dict[str, str]
    """Each of ``FILES``: ``same`` (written again byte for byte), ``differs``, ``missing``
    (from the report), or ``not rerun``."""
    differences: list[str]
    """``summary.json``'s differing values, ``key: recorded -> now``, but its ``commit``."""
    note: str = ""
    """Why the report was not rerun, or what else its folder holds (empty: nothing)."""
    commits: tuple[str | None, str | None] = (None, None)
    """The ``code_commit`` the report recorded and the rerun's (None: none, outside a git
    checkout or not rerun)."""
    moved: dict[str, str] = field(default_factory=dict)
    """Each file the report recorded -> where the rerun read it (``data_folder``); empty
    when every file was read where it was recorded."""

    @property
    def reproduced(self) -> bool:
        """Every file written again byte for byte."""
        return all(status == "same" for status in self.files.values())


RECORD = ("summary.json", "report.ipynb")
"""The files a report folder needs to be verified: what the run recorded."""


def is_report(folder: Path) -> bool:
    """Whether ``folder`` holds what ``ktt report`` writes (``RECORD``)."""
    return all((Path(folder) / name).is_file() for name in RECORD)


def reads_own_file(folder: Path) -> bool:
    """Whether a report read a file of the user's own (``-p data_path``), the one report
    whose files ``--data-folder`` can name; a report of the project's own data does not."""
    _, notebook = _read(Path(folder))
    return bool(notebook["metadata"]["papermill"].get("parameters", {}).get("data_path"))


def _read(folder: Path) -> tuple[dict, dict]:
    """The report's summary and its notebook, or a message naming what is missing."""
    if not folder.exists():
        raise KttError(f"{folder}: no such folder; give a report folder that `ktt report` "
                       "wrote, such as reports/baseline")
    if not folder.is_dir() and folder.name in (*FILES, "failed.ipynb"):
        raise KttError(f"{folder}: a file, not a report folder; give the folder that holds "
                       f"it ({folder.parent})")
    if not folder.is_dir():  # such as the data file handed over with the report
        raise KttError(f"{folder}: a file, not a report folder; give a report folder that "
                       "`ktt report` wrote, and the folder of a data file handed over with it "
                       "to --data-folder")
    missing = [name for name in RECORD if not (folder / name).is_file()]
    if missing and (folder / "failed.ipynb").is_file():
        raise KttError(f"{folder}: holds only failed.ipynb, the notebook of a run that failed; "
                       "there is no report to verify until a run succeeds")
    if missing:
        raise KttError(f"{folder}: no {' and no '.join(missing)}; give a report folder that "
                       "`ktt report` wrote, such as reports/baseline")
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    notebook = json.loads((folder / "report.ipynb").read_text(encoding="utf-8"))
    if "papermill" not in notebook.get("metadata", {}):
        raise KttError(f"{folder / 'report.ipynb'}: not executed by papermill; give a report "
                       "folder that `ktt report` wrote")
    return summary, notebook


def _inputs(summary: dict, moved: dict[str, str]) -> pd.DataFrame:
    """Each file the report recorded, where it is read now (``moved``), against its hash."""
    recorded = {"data": summary.get("data", {}), **summary.get("inputs", {})}
    rows = []
    for name, entry in recorded.items():
        if not entry.get("path") or not entry.get("sha256"):
            continue
        shown = moved.get(entry["path"], entry["path"])
        path = Path(shown)
        path = path if path.is_absolute() else config.ROOT / path
        status = ("missing" if not path.is_file() else
                  "same" if file_sha256(path) == entry["sha256"] else "changed")
        rows.append({"file": name, "path": shown, "status": status})
    return pd.DataFrame(rows, columns=["file", "path", "status"])


def _moved(summary: dict, parameters: dict, data_folder: Path) -> dict[str, str]:
    """The report's data file, and the files it read beside it (its ``sources.csv``), each
    as recorded -> in ``data_folder``, as a rerun records it (``config.relative_path``).

    Raises
    ------
    KttError
        When ``data_folder`` is no folder, or the report read the project's own data rather
        than a file of the user's own (``-p data_path``).
    """
    recorded = summary.get("data", {}).get("path", "")
    if not parameters.get("data_path"):
        raise KttError(f"--data-folder {data_folder}: this report read the project's own "
                       f"data ({recorded}), not a file given with -p data_path; verify it "
                       "without --data-folder")
    if data_folder.is_file():
        raise KttError(f"--data-folder {data_folder}: a file, not a folder; give the folder "
                       f"that holds it ({data_folder.parent})")
    if not data_folder.is_dir():
        raise KttError(f"--data-folder {data_folder}: no such folder; give the folder that "
                       f"now holds {Path(recorded).name}")
    return {path: config.relative_path((data_folder / Path(path).name).resolve())
            for path in _own(summary, parameters)}


def _own(summary: dict, parameters: dict) -> list[str]:
    """The files of the user's own a report read, as it recorded them: its data file (``-p
    data_path``) and the ``sources.csv`` beside it; none for the project's own data."""
    if not parameters.get("data_path"):
        return []
    entries = [summary.get("data", {}), summary.get("inputs", {}).get("own_sources", {})]
    return [entry["path"] for entry in entries if entry.get("path")]


def _not_rerun(gone: list[str], own: list[str], moved: dict[str, str],
               data_folder: Path | None) -> str:
    """Why a report was not rerun, the files missing, and what to do: restore a file missing
    where it was recorded, or, for the files of the user's own handed over with the report,
    give ``--data-folder`` the folder that holds them."""
    def them(paths: list[str]) -> str:
        return "it" if len(paths) == 1 else "them"

    names = " and ".join(Path(path).name for path in own)
    handed = [path for path in gone if path in moved.values()]
    others = [path for path in gone if path not in handed]
    fixes = []
    if others:
        fixes.append(f"restore {them(others)} to verify")
        if not moved and set(others) & set(own):
            fixes[-1] += (f", or, for a report handed over with its {names}, give --data-folder "
                          "the folder that holds them now")
    if handed:
        fixes.append(f"--data-folder {data_folder} holds no "
                     f"{' and no '.join(Path(path).name for path in handed)}: give the folder "
                     f"where the report's {names} are now")
    return f"not rerun: {', '.join(gone)} missing; {'; '.join(fixes)}"


def _json(text: str) -> str:
    """A text as a JSON string holds it, without its quotes."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


SPELLINGS = (str, _json, html.escape, lambda text: _json(html.escape(text)))
"""How a text is written in a report's files: as it is, in JSON (the summary, the notebook),
in HTML (the page) and in HTML within the notebook's JSON (its outputs)."""


def _as_recorded(raw: bytes, moved: dict[str, str]) -> bytes:
    """A rerun's file with each moved path written back as the report recorded it: in the
    parameters cell papermill injects, a Python string whose letters beyond ASCII are escaped
    (``data_path = "/tmp/ng\\u01b0..."``) within the notebook's JSON, then as text, in JSON
    and in HTML, where the page, the notebook and the summary give it. The command that
    quotes it is masked (``_masked``)."""
    for old, new in moved.items():
        fresh, recorded = (f"data_path = {PythonTranslator.translate_str(path)}"
                           for path in (new, old))
        raw = raw.replace(_json(fresh).encode(), _json(recorded).encode())
        for spell in SPELLINGS:
            raw = raw.replace(spell(new).encode(), spell(old).encode())
    return raw


def _masked(raw: bytes, command: str) -> bytes:
    """A file with its report's command masked, however the file spells it. A report and its
    rerun on the files of ``--data-folder`` record commands that differ by the paths, each
    quoted as a shell needs it, so that one may hold quotes where the other has none (a
    space: ``-p data_path '/tmp/người duyệt/a.csv'``, a page's ``&#x27;``); masked, each in
    its own file, they compare equal wherever each stands."""
    for spell in (*SPELLINGS, lambda text: _json(_json(text))):
        raw = raw.replace(spell(command).encode(), b"COMMAND")
    return raw


def _versions(summary: dict) -> pd.DataFrame:
    now = versions()
    rows = [{"package": name, "recorded": old, "now": now.get(name, "")}
            for name, old in sorted(summary.get("versions", {}).items())
            if now.get(name) != old]
    return pd.DataFrame(rows, columns=["package", "recorded", "now"])


def _flat(value, key: str = "") -> dict[str, object]:
    """Every leaf of a JSON value by its path; a list of records with ids by their ids."""
    if isinstance(value, dict):
        return {k: v for name, item in value.items()
                for k, v in _flat(item, f"{key}.{name}" if key else name).items()}
    if isinstance(value, list) and all(isinstance(v, dict) and "id" in v for v in value):
        return {k: v for item in value for k, v in _flat(item, f"{key}[{item['id']}]").items()}
    if isinstance(value, list):
        return {k: v for i, item in enumerate(value)
                for k, v in _flat(item, f"{key}[{i}]").items()}
    return {key: value}


def summary_differences(recorded: dict, now: dict) -> list[str]:
    """The values of two ``summary.json`` that differ, as ``key: recorded -> now``.

    Parameters
    ----------
    recorded, now : dict
        The summaries.

    Returns
    -------
    list of str
        One line per differing leaf (a target's probability is
        ``targets[T2025-formation].probability``): the targets' answers first (``ANSWERS``),
        which a reviewer reads before a model's scores and ``ktt verify`` shows when it cuts
        the list short, then the rest, each part in the order of the keys.
    """
    old, new = _flat(recorded), _flat(now)
    differing = [key for key in old.keys() | new.keys() if old.get(key) != new.get(key)]
    return [f"{key}: {old.get(key, '(none)')} -> {new.get(key, '(none)')}"
            for key in sorted(differing, key=lambda k: (not _is_answer(k), k))]


ANSWERS = ("status", "probability", "likelihood", "interval_80")
"""The leaves of a target in ``summary.json`` that are its answer (``summary_differences``
lists them first)."""


def _is_answer(key: str) -> bool:
    """Whether a flattened key of ``summary.json`` is a target's answer
    (``targets[T2025-formation].probability``, ``targets[T].interval_80[0]``)."""
    leaf = key.rsplit(".", 1)[-1].split("[")[0]
    return key.startswith("targets[") and key.count(".") == 1 and leaf in ANSWERS


def _same_notebook(recorded: bytes, fresh: bytes) -> bool:
    """The notebooks (their JSON) equal but for where papermill wrote them."""
    old, new = json.loads(recorded), json.loads(fresh)
    new["metadata"]["papermill"]["output_path"] = old["metadata"]["papermill"].get("output_path")
    return old == new


def verify_report(folder: Path, progress: bool = False, keep: Path | None = None,
                  data_folder: Path | None = None) -> Verification:
    """Rerun a report with the parameters it recorded and compare what it writes.

    Parameters
    ----------
    folder : Path
        A report folder ``ktt report`` wrote (``summary.json``, ``report.ipynb``,
        ``report.html``).
    progress : bool
        Show papermill's progress bar.
    keep : Path, optional
        Folder to write the rerun into and keep; by default a temporary one, removed after.
    data_folder : Path, optional
        The folder that now holds the report's data file (``-p data_path``) and the
        ``sources.csv`` beside it, where the report recorded another (a file outside the
        project, handed to a reviewer): the rerun reads them there, each checked against its
        recorded hash, and its files are compared with each such path written back as
        recorded.

    Returns
    -------
    Verification

    Raises
    ------
    KttError
        When ``folder`` is not a report folder, or its scenario is no longer known, or
        ``data_folder`` is given for a report of the project's own data.
    ReportError
        When the rerun fails.
    """
    folder = Path(folder)
    summary, notebook = _read(folder)
    run = notebook["metadata"]["papermill"]
    name = Path(run.get("input_path", config.FORECAST_NOTEBOOK)).stem
    parameters = dict(run.get("parameters", {}))
    overrides = {k: v for k, v in parameters.items() if k != "scenario"}
    # the name the report was written under, which its title and papermill's record carry,
    # even if the folder was moved or renamed since; a report written outside the project
    # before its record kept the folder's name has only the folder's own
    final = Path(run.get("output_path") or "report.ipynb").parent.name or folder.name
    stem = final if name == "forecast" else final.removesuffix(f"-{name}")
    moved = {} if data_folder is None else _moved(summary, parameters, Path(data_folder))
    inputs = _inputs(summary, moved)
    note = ("it also holds failed.ipynb, from a later run that failed"
            if (folder / "failed.ipynb").is_file() else "")
    gone = inputs.loc[inputs["status"] == "missing", "path"].tolist()
    if gone:
        return Verification(folder, name, parameters, inputs, _versions(summary),
                            dict.fromkeys(FILES, "not rerun"), [],
                            _not_rerun(gone, _own(summary, parameters), moved, data_folder),
                            (summary.get(COMMIT), None), moved)
    if keep is not None:
        _check_keep(Path(keep), final, folder)
    with tempfile.TemporaryDirectory(prefix="ktt-verify-") as scratch:
        output = Path(keep) if keep is not None else Path(scratch)
        if moved:
            overrides["data_path"] = moved[overrides["data_path"]]
        fresh = run_report(parameters.get("scenario", "baseline"), overrides, output, name,
                           progress=progress, name=stem)
        files = compare(folder, fresh, moved)
        now = json.loads(_as_recorded((fresh / "summary.json").read_bytes(), moved))
        if moved:  # its command names the files where the rerun read them (``_masked``)
            now["command"] = summary.get("command")
    commits = (summary.pop(COMMIT, None), now.pop(COMMIT, None))
    return Verification(folder, name, parameters, inputs, _versions(summary), files,
                        summary_differences(summary, now), note, commits, moved)


MASK = "COMMIT"
"""What the commit a report recorded reads as when it is compared."""


def compare(recorded: Path, fresh: Path, moved: dict[str, str] | None = None
            ) -> dict[str, str]:
    """Each of ``FILES`` of two report folders: ``same``, ``differs`` or ``missing`` (from
    ``recorded``), byte for byte but for the commit each recorded, and ``fresh``'s paths of
    files read elsewhere than recorded (``moved``: recorded -> read), written back as
    recorded (``_as_recorded``), and the command each recorded, which names such a file,
    masked (``_masked``).

    The commit says which code ran, not what it wrote: a rerun at a later commit that writes
    the same report reproduces it, and ``Verification.commits`` says at which two commits.
    Each file's commit is read from its own folder's ``summary.json`` and masked where it
    appears, in the summary, in the notebook's output and in the page's provenance.
    """
    summaries = [json.loads((folder / "summary.json").read_text(encoding="utf-8"))
                 for folder in (recorded, fresh)]

    def content(folder: Path, file: str, summary: dict) -> bytes:
        raw = (folder / file).read_bytes()
        if moved and summary.get("command"):
            raw = _masked(raw, summary["command"])
        raw = _as_recorded(raw, moved or {}) if folder == fresh else raw
        stamp = summary.get(COMMIT)
        return raw.replace(stamp.encode(), MASK.encode()) if stamp else raw

    files = {}
    for file in FILES:
        if not (recorded / file).is_file():
            files[file] = "missing"
            continue
        old, new = (content(folder, file, summary)
                    for folder, summary in zip((recorded, fresh), summaries, strict=True))
        same = _same_notebook(old, new) if file.endswith(".ipynb") else old == new
        files[file] = "same" if same else "differs"
    return files


def _check_keep(keep: Path, final: str, folder: Path) -> None:
    """Refuse a ``--keep`` folder that is a file, or that already holds a folder the rerun
    would replace: the report under check itself, or anything else of that name."""
    if keep.exists() and not keep.is_dir():
        raise KttError(f"--keep {keep}: a file; give a folder for the rerun")
    target = keep / final
    if target.exists():
        what = ("the report under check" if target.resolve() == folder.resolve()
                else "a folder of the report's name")
        raise KttError(f"--keep {keep}: {target} exists ({what}) and the rerun would replace "
                       "it; give another folder")
