"""Shared fixtures: small CSV files written on the fly."""

from __future__ import annotations

from pathlib import Path

import pytest

HEADER = "unit,year,indicator,value,source,quote\n"
SOURCES = "id,title,publisher,date,address\ns1,A report,Someone,2024,https://example.org/a\n"


@pytest.fixture
def write_csv(tmp_path: Path):
    """Write observation rows (and a sources.csv with id s1) into tmp_path; return the path."""

    def write(body: str, header: str = HEADER, *, sources: str | None = SOURCES,
              name: str = "observations.csv", encoding: str = "utf-8") -> Path:
        if sources is not None:
            (tmp_path / "sources.csv").write_text(sources, encoding="utf-8")
        path = tmp_path / name
        path.write_bytes((header + body).encode(encoding))
        return path

    return write
