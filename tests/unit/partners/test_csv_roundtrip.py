"""A CSV round trip does not duplicate partners: `crm export-csv` then `crm import-csv`
changes nothing; keys update their partners (new version, audit); rows without a key whose
INN (+KPP) is an existing partner's are refused with their lines unless --on-duplicate says
update or skip; the same file imported twice changes nothing the second time."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import text

from crm_tui.cli.main import main
from crm_tui.store.database import Database
from tests.unit.partners.test_csv import url  # noqa: F401  (the fixture)


def state(database_url: str) -> tuple[list[tuple[str, str, int]], int]:
    """Every partner as (key, name, version), and the number of change-log rows."""
    database = Database.open(database_url)
    with database.read() as session:
        partners = [tuple(row) for row in session.execute(text(
            "SELECT key, name, version FROM partner ORDER BY key"))]
        log = int(session.execute(text("SELECT count(*) FROM change_log")).scalar_one())
    database.close()
    return partners, log  # type: ignore[return-value]


def run(*arguments: str) -> int:
    return main([*arguments, "--lang", "en"])


def test_export_then_import_changes_nothing(url: str, tmp_path: Path,  # noqa: F811
                                            capsys: pytest.CaptureFixture[str],
                                            fixed_now: object) -> None:
    source = tmp_path / "in.csv"
    source.write_text("name,inn,kpp,region,roles,phone\n"
                      "Яндекс,7736207543,770401001,MSK,\"client,supplier\",+74957397000\n"
                      "Частное лицо,,,,other,\n", encoding="utf-8")
    assert run("import-csv", "partners", str(source), "--db", url) == 0
    before = state(url)
    exported = tmp_path / "f.csv"
    assert run("export-csv", "partners", str(exported), "--db", url) == 0
    capsys.readouterr()
    for _time in range(2):
        assert run("import-csv", "partners", str(exported), "--db", url) == 0
        assert "updated: 0, unchanged: 3, skipped: 0" in capsys.readouterr().out
        assert state(url) == before


def test_a_key_updates_its_partner_once(url: str, tmp_path: Path,  # noqa: F811
                                        capsys: pytest.CaptureFixture[str],
                                        fixed_now: object) -> None:
    exported = tmp_path / "f.csv"
    assert run("export-csv", "partners", str(exported), "--db", url) == 0
    with exported.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["name"] = "Ромашка-Плюс"
    rows[0]["region"] = "MSK"
    with exported.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    (partners, log) = state(url)
    assert partners == [("P1", "Ромашка", 1)]
    assert run("import-csv", "partners", str(exported), "--db", url) == 0
    assert "updated: 1" in capsys.readouterr().out
    after = state(url)
    assert after[0] == [("P1", "Ромашка-Плюс", 2)]
    assert after[1] > log  # audited
    assert run("import-csv", "partners", str(exported), "--db", url) == 0  # again: no change
    assert state(url) == after


def test_duplicates_by_inn_are_refused_skipped_or_updated(
        url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],  # noqa: F811
        fixed_now: object) -> None:
    source = tmp_path / "dup.csv"
    source.write_text("name;inn;kpp;comment\n"
                      "Новое;7736207543;770401001;\n"
                      "Ромашка из файла;7707083893;773601001;из файла\n"
                      "Ромашка без КПП;7707083893;;\n", encoding="utf-8")
    before = state(url)
    assert run("import-csv", "partners", str(source), "--db", url) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "3: INN 7707083893/773601001 is already the partner P1 «Ромашка»; "
        "use --on-duplicate update or skip",
        "4: INN 7707083893 is already the partner P1 «Ромашка»; use --on-duplicate update or skip"]
    assert state(url) == before  # all or nothing
    assert run("import-csv", "partners", str(source), "--db", url,
               "--on-duplicate", "skip") == 0
    assert "updated: 0, unchanged: 0, skipped: 2" in capsys.readouterr().out
    assert sorted(p[1] for p in state(url)[0]) == ["Новое", "Ромашка"]
    # "Новое" now exists too: the same file again with update changes P1 only (two rows)
    assert run("import-csv", "partners", str(source), "--db", url,
               "--on-duplicate", "update") == 0
    out = capsys.readouterr().out
    assert "imported: 0" in out and "updated: 2, unchanged: 1" in out
    partners = {key: (name, version) for key, name, version in state(url)[0]}
    assert partners["P1"] == ("Ромашка без КПП", 3)  # the last of the two rows for P1
    assert len(partners) == 2


def test_an_unknown_key_is_kept_for_the_new_partner(
        url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],  # noqa: F811
        fixed_now: object) -> None:
    """A file from another database: its partners are added with their keys, so the same
    file imported again changes nothing."""
    source = tmp_path / "k.csv"
    source.write_text("key,name\nP-999999,Призрак\n", encoding="utf-8")
    assert run("import-csv", "partners", str(source), "--db", url) == 0
    after = state(url)
    assert ("P-999999", "Призрак", 1) in after[0]
    assert run("import-csv", "partners", str(source), "--db", url) == 0
    assert "unchanged: 1" in capsys.readouterr().out
    assert state(url) == after
