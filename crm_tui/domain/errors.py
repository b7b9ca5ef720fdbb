"""Errors raised by domain rules; their messages are already translated for the user."""


class DomainError(ValueError):
    """A rule was broken; `str(error)` is a message fit to show the user."""


class ValidationError(DomainError):
    """A value given by the user or a file is not acceptable."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class StageRuleError(DomainError):
    """A stage move that the deal kind's stage control forbids."""


class ConflictError(DomainError):
    """Someone else saved the record after it was loaded."""


class BusyError(DomainError):
    """The database stayed locked by another writer for longer than the busy timeout."""


class NotFoundError(DomainError):
    """A record named by key does not exist."""


class PermissionDenied(DomainError):
    """The current user's role does not allow this change."""
