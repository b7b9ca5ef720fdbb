"""Every user-visible string is translated in both languages, and the .mo files are current."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from crm_tui.i18n import LOCALE_DIR, _, set_language

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"


def _load(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_string_in_the_code_is_translated(language: str) -> None:
    update = _load("update_catalogs")
    compiled = _load("compile_catalogs")
    catalog = compiled.merged_catalog(language)
    translated = {m.id: m.string for m in catalog if m.id}
    missing = sorted(
        f"{place}: {text!r}"
        for text, place in update.code_messages().items()
        if not translated.get(text)
    )
    assert missing == [], f"untranslated in {language}:\n" + "\n".join(missing)


def test_compiled_catalogs_are_current() -> None:
    result = subprocess.run([sys.executable, str(SCRIPTS / "compile_catalogs.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_russian_catalog_is_used() -> None:
    assert (LOCALE_DIR / "ru" / "LC_MESSAGES" / "crm_tui.mo").exists()
    set_language("ru")
    assert _("Partners") == "Партнеры"
    set_language("en")
    assert _("Partners") == "Partners"


def test_a_translation_that_is_its_own_source_is_not_compiled() -> None:
    """The app reads its catalog at every start: the English one, every entry its own source,
    was 96 KB of nothing to translate. gettext gives the source for what is left out."""
    import gettext
    import io

    compiled = _load("compile_catalogs")
    for language in ("en", "ru"):
        catalog = gettext.GNUTranslations(io.BytesIO(compiled.compiled(language)))
        kept = {key: value for key, value in catalog._catalog.items() if key}  # type: ignore[attr-defined]
        assert all(key != value for key, value in kept.items()), language
    assert len(compiled.compiled("en")) < 1000
    assert len(compiled.compiled("ru")) > 100_000
    set_language("en")
    assert _("Partners") == "Partners"
    set_language("ru")
    assert _("SHA-256") == "SHA-256"  # the same in Russian: left out, still answered
    set_language("en")
