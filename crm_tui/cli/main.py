"""The `crm` command: the TUI by default, plus subcommands that need no screen.

Subcommands import only what they use: none of them imports textual."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from crm_tui import __version__
from crm_tui.cli.terminal import escaped_output
from crm_tui.i18n import _, detect_language, set_language

# Subcommand name -> module in crm_tui.cli providing `register(subparsers, common)`.
COMMANDS: dict[str, str] = {
    "import": "import_cmd",
    "export": "export_cmd",
    "import-csv": "csv_cmd",
    "export-csv": "csv_cmd",
    "import-table": "table_cmd",
    "report": "report_cmd",
    "demo": "demo_cmd",
    "backup": "backup_cmd",
    "check": "check_cmd",
    "db": "db_cmd",
    "users": "users_cmd",
    "calendar": "calendar_cmd",
    "mail": "mail_cmd",
}


def common_options(suppress: bool) -> argparse.ArgumentParser:
    """--db and --lang, accepted before and after the subcommand."""
    default = argparse.SUPPRESS if suppress else None
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--db", metavar="PATH|URL", default=default,
                        help=_("database file or URL (default: $CRM_DB, then the user data dir)"))
    parent.add_argument("--lang", choices=["ru", "en"], default=default,
                        help=_("interface language (default: from the locale)"))
    if suppress:  # after the subcommand too: `crm report funnel --demo`
        parent.add_argument("--demo", action="store_true", default=argparse.SUPPRESS,
                            help=_("open the demo database (created with demo data on first "
                                   "use)"))
    return parent


def _preselect_language(argv: Sequence[str]) -> None:
    """Set the language before building help texts, from --lang if given."""
    language = detect_language()
    for index, word in enumerate(argv):
        if word == "--lang" and index + 1 < len(argv):
            language = argv[index + 1]
        elif word.startswith("--lang="):
            language = word.split("=", 1)[1]
    set_language(language if language in ("ru", "en") else "en")


# The options of `crm` itself that take a value (`--db PATH`, `--lang ru`).
_APP_OPTIONS_WITH_VALUE = ("--db", "--lang")


def _other_words(arguments: Sequence[str]) -> list[str] | None:
    """The words of `arguments` that are not `crm`'s own options (`--db PATH`, `--lang ru`,
    `--demo`) or their values; None when such an option lacks its value."""
    words, other = iter(arguments), []
    for word in words:
        if word in _APP_OPTIONS_WITH_VALUE:
            if next(words, None) is None:
                return None
        elif word != "--demo" and not word.startswith(tuple(
                f"{option}=" for option in _APP_OPTIONS_WITH_VALUE)):
            other.append(word)
    return other


def opens_the_app(arguments: Sequence[str]) -> bool:
    """Whether `arguments` only choose how to open the app (`--db`, `--lang`, `--demo`): no
    subcommand, no help, nothing argparse would have to explain (a missing value it does).
    Then the subcommands' modules are not imported nor their parsers built, which cost the
    app's start ~25 ms."""
    return _other_words(arguments) == []


def named_command(arguments: Sequence[str]) -> str | None:
    """The subcommand `arguments` name (the first word that is not an option), when it is
    one of ours; else None."""
    word = next((w for w in _other_words(arguments) or [] if not w.startswith("-")), None)
    return word if word in COMMANDS else None


def build_parser(with_commands: bool = True, only: str | None = None) -> argparse.ArgumentParser:
    """The parser of `crm`: without commands (the app's own options), with the one command
    `only` (what `crm report …` needs: building all thirteen cost each command more than its
    own imports), or with every command (help, a mistyped command)."""
    parser = argparse.ArgumentParser(
        prog="crm", parents=[common_options(suppress=False)],
        description=_("A keyboard-driven CRM for the terminal. Without a command, opens the app."),
    )
    parser.add_argument("--version", action="version", version=f"crm-tui {__version__}")
    parser.add_argument("--demo", action="store_true",
                        help=_("open the demo database (created with demo data on first use)"))
    if not with_commands:
        return parser
    subparsers = parser.add_subparsers(dest="command", metavar=_("COMMAND"))
    common = common_options(suppress=True)
    names = [COMMANDS[only]] if only is not None else dict.fromkeys(COMMANDS.values())
    for module_name in names:
        module = importlib.import_module(f"crm_tui.cli.{module_name}")
        module.register(subparsers, common)
    return parser


def tolerate_narrow_output() -> None:
    """Under LC_ALL=C or PYTHONIOENCODING=ascii, text the output encoding cannot carry
    (Russian, a "…", a partner's name) is printed escaped (\\u2026) instead of ending the
    command with UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    tolerate_narrow_output()
    arguments = list(sys.argv[1:] if argv is None else argv)
    _preselect_language(arguments)
    parser = build_parser(with_commands=not opens_the_app(arguments),
                          only=named_command(arguments))
    with escaped_output():  # argparse echoes arguments in its errors
        args = parser.parse_args(arguments)
    if args.lang:
        set_language(args.lang)
    handler = getattr(args, "handler", None)
    if handler is None:
        from crm_tui.cli.tui_cmd import run_tui

        return run_tui(args)
    with escaped_output():
        try:
            return int(handler(args) or 0)
        except KeyboardInterrupt:
            print(_("interrupted"), file=sys.stderr)
            return 130
        except Exception as error:
            from crm_tui.domain.errors import DomainError

            if isinstance(error, DomainError):  # busy, refused, not found: one line
                print(f"crm: {error}", file=sys.stderr)
                return 1
            # A database that cannot be used (when it opens, or found damaged while reading):
            # one line saying why and what to do, never a traceback.
            message = _database_problem(error, args)
            if message is None:
                raise
            print(f"crm: {message}", file=sys.stderr)
            return 1


def _database_problem(error: Exception, args: argparse.Namespace) -> str | None:
    from sqlalchemy.exc import DBAPIError

    from crm_tui.cli.common import database_url
    from crm_tui.store.open_errors import DatabaseUnusable, explain

    # Only the database's own errors: a file the command writes has its own message.
    if not isinstance(error, (DatabaseUnusable, DBAPIError)):
        return None
    explained = explain(error, database_url(args))
    return None if explained is None else str(explained)
