"""The malloc arena limit: applied on glibc, never over the user's own setting; the cyclic
collector paused while a report builds its rows."""

from __future__ import annotations

import platform
import subprocess
import sys
from typing import Any

import pytest

from crm_tui import memory


@pytest.mark.skipif(platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
                    reason="mallopt's arena limit is glibc's")
def test_the_limit_is_applied_on_glibc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    # In a process of its own: the limit stays for the life of the process.
    code = "from crm_tui.memory import limit_malloc_arenas; print(limit_malloc_arenas())"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "True"


def test_the_users_setting_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert memory.limit_malloc_arenas() is False


def test_no_malloc_options_no_change(monkeypatch: pytest.MonkeyPatch) -> None:
    import ctypes

    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)

    def no_library(_name: object) -> object:
        raise OSError("no C library here")

    monkeypatch.setattr(ctypes, "CDLL", no_library)
    assert memory.limit_malloc_arenas() is False


def test_the_collector_is_paused_in_nested_blocks_and_comes_back_after_the_last() -> None:
    import gc

    from crm_tui.memory import collector_paused

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    import gc

    from crm_tui.memory import collector_paused

    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_report_is_computed_without_the_collector(
        db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from crm_tui.reports import claim_dynamics
    from crm_tui.reports.base import ReportParams
    from crm_tui.reports.registry import compute

    seen: list[bool] = []
    real = claim_dynamics.compute

    def noting(*args: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*args)

    monkeypatch.setattr(claim_dynamics, "compute", noting)
    compute(db, "claim-dynamics", ReportParams())
    assert seen == [False] and gc.isenabled()
