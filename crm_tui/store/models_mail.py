"""Tables of incoming mail (migration 0012_mail_fetch): how far each mailbox folder was
read, and the files that came attached to e-mail interactions.

Imported at the end of models.py, so that SQLModel.metadata always holds them."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from crm_tui.store.models import Interaction


class MailFolderState(SQLModel, table=True):
    """The last UID fetched from one folder of one mailbox, valid while the folder's
    UIDVALIDITY stays the same (IMAP renumbers a folder by changing it)."""

    __tablename__ = "mail_folder_state"
    __table_args__ = (UniqueConstraint("account", "folder", name="uq_mail_folder_state"),)
    id: int | None = Field(default=None, primary_key=True)
    account: str = Field(max_length=255)  # login@host:port
    folder: str = Field(max_length=255)
    uidvalidity: int = Field(sa_column=Column(BigInteger, nullable=False))
    last_uid: int = Field(sa_column=Column(BigInteger, nullable=False))


class InteractionAttachment(SQLModel, table=True):
    """A file attached to an interaction (an incoming e-mail), stored in the database like
    a claim's attachment."""

    __tablename__ = "interaction_attachment"
    id: int | None = Field(default=None, primary_key=True)
    interaction_id: int = Field(foreign_key="interaction.id", ondelete="CASCADE", index=True)
    seq: int
    name: str
    size: int
    mime: str = "application/octet-stream"
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


# Replies are threaded and duplicates refused by Message-ID.
MESSAGE_ID_INDEX = Index("ix_interaction_message_id",
                         Interaction.__table__.c.message_id)  # type: ignore[attr-defined]
