"""``ktt verify``: rerun reports and say whether each reproduced, and if not, why."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ktt.errors import KttError

SHOWN = 12
"""Most differences ``ktt verify`` lists one by one."""


def verify_command(args: argparse.Namespace) -> int:
    """``ktt verify``: rerun each report folder and print what it found; exit code 0 when
    every report reproduced, else 1."""
    from ktt.report.verify import is_report, reads_own_file, verify_report

    many = len(args.folders) > 1
    reproduced, checked, gap = 0, 0, ""
    for folder in args.folders:
        if many and not is_report(folder):  # reports/* holds the index and the suite too
            print(f"{gap}skipped {folder}: not a report folder")
        else:
            checked += 1
            try:
                # among many, --data-folder names the files of the reports on a file of the
                # user's own; the others read the project's data, where they recorded it
                unused = many and args.data_folder is not None and not reads_own_file(folder)
                found = verify_report(folder, progress=sys.stderr.isatty(), keep=args.keep,
                                      data_folder=None if unused else args.data_folder)
            except KttError as exc:
                if not many:  # one report: its error is the command's
                    raise
                print(f"{gap}report {folder}: error: {exc}")  # the others are still checked
            else:
                print(gap, end="")
                reproduced += _print_verification(folder, found)
                if unused:
                    print("note: --data-folder not used: this report read the project's own "
                          "data")
        gap = "\n"
    if not checked:
        raise KttError("no report among the folders given; give report folders such as "
                       "reports/baseline")
    if many:
        print(f"\n{reproduced} of {checked} reports reproduced")
    return 0 if reproduced == checked else 1


def _what_changed(found) -> str:
    """Why a report whose inputs or packages changed did not reproduce, and what to do."""
    changed = found.inputs.loc[found.inputs["status"] == "changed", "path"].tolist()
    handed = set(changed) & set(found.moved.values())  # read from --data-folder
    causes, fixes = [], []
    if changed:
        causes.append(f"{', '.join(changed)} changed since the report was made (its SHA-256 "
                      "is not the recorded one)")
        fixes.append("ask whoever made the report for the files it read" if handed else
                     "restore what the report read (git log, a backup)")
    if not found.versions.empty:
        causes.append("package versions differ")
        pins = [f"{r.package}=={r.recorded}" for r in found.versions.itertuples()
                if r.package not in ("python", "ktt")]
        fixes.append(f"install the recorded versions (pip install {' '.join(pins)})" if pins
                     else "use the recorded Python and ktt")
    return (f"{' and '.join(causes)}, which explains the differences above; to reproduce it, "
            f"{' and '.join(fixes)}; for a report of the files as they are now, run the command "
            "its provenance gives (summary.json 'command')"
            + (", its -p data_path naming the file here" if handed else ""))


def _print_verification(folder: Path, found) -> bool:
    """What ``ktt verify`` found for one report; whether it reproduced."""
    given = ", ".join(f"{k}={v}" for k, v in sorted(found.parameters.items()))
    print(f"report {folder}: notebook {found.notebook}, parameters {given}")
    print("files it read, against the hashes it recorded:")
    missing = set(found.inputs.loc[found.inputs["status"] == "missing", "path"])
    for recorded, read in found.moved.items():
        print(f"  {recorded}: {'looked for at' if read in missing else 'read from'} {read} "
              "(--data-folder)")
    width = max((len(p) for p in found.inputs["path"]), default=0)
    for row in found.inputs.itertuples():
        print(f"  {row.path:<{width}}  {row.status}")
    if found.versions.empty:
        print("package versions: as recorded")
    else:
        print("package versions that differ from the recorded: " + ", ".join(
            f"{r.package} {r.recorded} (now {r.now or 'not installed'})"
            for r in found.versions.itertuples()))
    made, rerun = found.commits
    if made or rerun:
        # a report not rerun has no rerun's commit, wherever ktt runs
        rerun_at = ("" if found.note.startswith("not rerun") else
                    f", rerun at {rerun or 'none (not a git checkout)'}")
        print(f"code: made at commit {made or 'none recorded'}{rerun_at}")
    if found.note.startswith("not rerun"):
        print(found.note)
        return False
    print("rerun: " + ", ".join(f"{name} {status}" for name, status in found.files.items()))
    if found.note:
        print(f"note: {found.note}")
    if found.reproduced:
        print("reproduced: the rerun wrote the same files, byte for byte")
        return True
    if found.differences:
        print("summary.json, recorded -> now:")
        for line in found.differences[:SHOWN]:
            print(f"  {line}")
        if len(found.differences) > SHOWN:
            print(f"  ... and {len(found.differences) - SHOWN} more")
    same_inputs = found.versions.empty and set(found.inputs["status"]) <= {"same"}
    others = {status for name, status in found.files.items() if name != "summary.json"}
    if "missing" in found.files.values():
        print("not reproduced: a file of the report is missing; the rerun with --keep DIR "
              "writes it again")
    elif same_inputs and others == {"same"}:  # only summary.json differs
        print("not reproduced: summary.json alone differs while the notebook and the page are "
              "the same, so it was most likely edited after the run")
    elif same_inputs and _same_code(found.commits):
        # nothing that made the report has changed: a file that differs was written after
        differ = [name for name, status in found.files.items() if status == "differs"]
        print(f"not reproduced: the same code, files and package versions wrote "
              f"{' and '.join(differ)} differently, so "
              f"{'it was' if len(differ) == 1 else 'they were'} most likely edited after the "
              "run (--keep DIR keeps the rerun's to compare); if not, the run is not "
              "deterministic, which is a bug to report")
    elif same_inputs:
        made, rerun = found.commits
        other = (f"other code (git diff {made} -- ktt notebooks)"
                 if made and made != rerun and not made.endswith("-dirty") else
                 "other code (git log)")
        print("not reproduced: every file it read and every package version is as recorded, so "
              f"the report was made by {other} or the run is not deterministic, which is a bug "
              "to report")
    else:
        print(f"not reproduced: {_what_changed(found)}")
    return False


def _same_code(commits: tuple[str | None, str | None]) -> bool:
    """Whether the report and its rerun ran the same committed code: one commit, without
    changes not committed (``-dirty`` says that the code differed from it, not how)."""
    made, rerun = commits
    return made is not None and made == rerun and not made.endswith("-dirty")
