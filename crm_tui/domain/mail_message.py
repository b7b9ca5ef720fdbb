"""An incoming message's bytes as what an interaction keeps: subject, addresses, Message-ID,
the ids it replies to, the time sent, a readable text and the attachments.

Mail is data from strangers: nothing here raises on a malformed message. What cannot be
read is left out and said in `notes`; the caller stores what there is."""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser

from crm_tui.i18n import _

# Control characters other than newline and tab: the store refuses them in text fields, and
# they must never reach a terminal. They are shown as U+FFFD, like safe_display does.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
TOPIC_MAX = 500


@dataclass(frozen=True)
class IncomingAttachment:
    name: str
    mime: str
    content: bytes


@dataclass(frozen=True)
class IncomingMail:
    subject: str
    sender: str  # the From address (lower case), "" when none can be read
    sender_display: str  # From as written (name and address), for the interaction
    to: str
    message_id: str
    replies_to: tuple[str, ...]  # In-Reply-To first, then References, newest first
    sent_at: datetime | None  # naive local time
    text: str
    attachments: tuple[IncomingAttachment, ...] = ()
    notes: tuple[str, ...] = field(default=())


def one_line(value: str, limit: int = TOPIC_MAX) -> str:
    """A header value fit for a one-line field: control characters shown as U+FFFD."""
    return _LINE_CONTROL.sub("\ufffd", value).strip()[:limit]


def clean_text(value: str) -> str:
    """A body fit for the multi-line text field: line ends unified, controls as U+FFFD."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("\ufffd", value).strip()


class _TextOfHtml(HTMLParser):
    """Readable text of an HTML part: block elements break lines, scripts and styles go."""

    BLOCKS = frozenset({"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6",
                        "table", "blockquote", "pre", "hr", "ul", "ol"})
    HIDDEN = frozenset({"script", "style", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _TextOfHtml()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # html.parser copes with nearly anything; keep what it read
        pass
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _header(message: Message, name: str, notes: list[str]) -> str:
    try:
        value = message.get(name)
        return "" if value is None else str(value)
    except Exception:  # a header the parser cannot decode: its raw text, unparsed
        notes.append(_("the {header} header could not be read").format(header=name))
        try:
            raw = [value for key, value in message.raw_items() if key.lower() == name.lower()]
        except Exception:
            raw = []
        return str(raw[0]) if raw else ""


def _addresses(value: str) -> list[tuple[str, str]]:
    try:
        return [(name, address) for name, address in getaddresses([value]) if address]
    except Exception:
        return []


def _ids(value: str) -> list[str]:
    return _MESSAGE_ID.findall(value or "")


def _part_text(part: Message, notes: list[str]) -> str:
    try:
        content = part.get_content() if isinstance(part, EmailMessage) else None
        if isinstance(content, str):
            return content
    except Exception:  # an unknown charset or a broken transfer encoding
        pass
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        charset = part.get_content_charset() or "utf-8"
        try:
            return payload.decode(charset, errors="replace")
        except LookupError:
            notes.append(_("unknown character set {charset}; shown as UTF-8").format(
                charset=one_line(charset, 40)))
            return payload.decode("utf-8", errors="replace")
    return ""


def _sent_at(value: str, notes: list[str]) -> datetime | None:
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except Exception:
        notes.append(_("the Date header could not be read"))
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
    return moment


def parse(raw: bytes) -> IncomingMail:
    """The message in `raw` (RFC 5322 bytes), read as far as it can be."""
    notes: list[str] = []
    try:
        message: Message = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception:  # pragma: no cover - the parser is lenient; keep the raw text then
        notes.append(_("the message could not be parsed; its raw text is kept"))
        return IncomingMail("", "", "", "", "", (), None,
                            clean_text(raw.decode("utf-8", "replace")), (), tuple(notes))
    defects = list(getattr(message, "defects", []))
    subject = one_line(_header(message, "Subject", notes))
    senders = _addresses(_header(message, "From", notes))
    sender_name, sender = senders[0] if senders else ("", "")
    sender_display = one_line(f"{sender_name} <{sender}>" if sender_name else sender)
    to = one_line(", ".join(address for _name, address in
                            _addresses(_header(message, "To", notes))))
    found = _ids(_header(message, "Message-ID", notes))
    message_id = one_line(found[0], 250) if found else ""
    replies = _ids(_header(message, "In-Reply-To", notes))
    references = list(reversed(_ids(_header(message, "References", notes))))
    replies_to = tuple(dict.fromkeys(one_line(i, 250) for i in replies + references))
    sent_at = _sent_at(_header(message, "Date", notes), notes)

    plain: list[str] = []
    html: list[str] = []
    attachments: list[IncomingAttachment] = []
    try:
        parts = list(message.walk())
    except Exception:
        parts = [message]
        notes.append(_("the message's parts could not all be read"))
    for part in parts:
        try:
            if part.is_multipart():
                continue
            disposition = part.get_content_disposition()
            name = part.get_filename()
            kind = part.get_content_type()
            if disposition == "attachment" or (name and kind not in ("text/plain",
                                                                     "text/html")):
                payload = part.get_payload(decode=True)
                attachments.append(IncomingAttachment(
                    one_line(str(name or "attachment"), 200) or "attachment", kind,
                    payload if isinstance(payload, bytes) else b""))
            elif kind == "text/plain":
                plain.append(_part_text(part, notes))
            elif kind == "text/html":
                html.append(_part_text(part, notes))
            defects += list(getattr(part, "defects", []))
        except Exception:
            notes.append(_("a part of the message could not be read"))
    if plain:
        text = "\n\n".join(plain)
    elif html:
        text = html_to_text("\n".join(html))
    else:
        text = ""
    if defects:
        notes.append(_("the message is malformed ({defects}); stored as far as it could be "
                       "read").format(defects=one_line(", ".join(
                           sorted({type(d).__name__ for d in defects})), 200)))
    return IncomingMail(subject, sender.lower(), sender_display, to, message_id, replies_to,
                        sent_at, clean_text(text), tuple(attachments), tuple(notes))


def address_of(value: str) -> str:
    """The bare address in "Name <a@b>" or "a@b" (lower case)."""
    try:
        return Address(addr_spec=_addresses(value)[0][1]).addr_spec.lower()
    except Exception:
        return value.strip().lower()
