"""The malloc arena limit: applied on glibc, never over the user's own setting."""

from __future__ import annotations

import platform
import subprocess
import sys

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
