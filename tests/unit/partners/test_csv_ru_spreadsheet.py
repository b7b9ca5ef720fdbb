"""`crm export-csv partners` in Russian writes what a Russian spreadsheet opens (a BOM,
semicolons) and what import-csv reads back unchanged (issue 22 §4); English stays plain."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_tui.cli.main import main
from tests.unit.partners.test_csv import url  # noqa: F401  (the fixture)
from tests.unit.partners.test_csv_roundtrip import state


def test_russian_export_is_for_a_spreadsheet_and_reads_back(
        url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],  # noqa: F811
        fixed_now: object) -> None:
    before = state(url)
    exported = tmp_path / "ru.csv"
    assert main(["--lang", "ru", "export-csv", "partners", str(exported), "--db", url]) == 0
    raw = exported.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").splitlines()[0].startswith("key;name;inn;")
    assert main(["--lang", "ru", "import-csv", "partners", str(exported), "--db", url]) == 0
    assert state(url) == before


def test_plain_on_request_and_in_english(url: str, tmp_path: Path,  # noqa: F811
                                         fixed_now: object) -> None:
    for arguments in (["--lang", "ru", "export-csv", "partners", "--csv-style", "plain"],
                      ["--lang", "en", "export-csv", "partners"]):
        exported = tmp_path / "plain.csv"
        assert main([*arguments, str(exported), "--db", url]) == 0
        assert exported.read_text(encoding="utf-8").startswith("key,name,inn,")
        exported.unlink()
