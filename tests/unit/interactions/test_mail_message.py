"""Reading incoming messages: hostile or broken mail is data, never a crash."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from crm_tui.domain.mail_message import html_to_text, parse
from crm_tui.domain.text import find_control_character


@given(st.binary(max_size=2000))
@settings(max_examples=200, deadline=None)
def test_any_bytes_are_read_without_raising(raw: bytes) -> None:
    mail = parse(raw)
    for value in (mail.subject, mail.sender_display, mail.to, mail.message_id):
        assert find_control_character(value, False) is None
    assert find_control_character(mail.text, True) is None


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_any_header_text_is_read_without_raising(value: str) -> None:
    raw = ("Subject: " + value + "\r\nFrom: " + value + "\r\nMessage-ID: " + value
           + "\r\nIn-Reply-To: " + value + "\r\nDate: " + value + "\r\n\r\nbody")
    mail = parse(raw.encode("utf-8", "surrogatepass"))
    assert find_control_character(mail.subject, False) is None


def test_escape_sequences_and_markup_stay_literal_data() -> None:
    mail = parse(b"Subject: =?utf-8?q?=1B]0;pwned=07[bold]x[/bold]?=\r\n"
                 b"From: \"\x1b[2J Evil\" <evil@x.example>\r\n\r\n\x1b[31mred\x1b[0m text\r\n")
    assert "\x1b" not in mail.subject + mail.sender_display + mail.text
    assert "[bold]x[/bold]" in mail.subject and "pwned" in mail.subject
    assert mail.sender == "evil@x.example" and "red" in mail.text


def test_html_becomes_readable_text() -> None:
    html = ("<html><head><title>t</title><style>.a{color:red}</style><script>alert(1)"
            "</script></head><body><h1>Offer</h1><p>Price:&nbsp;<b>100</b> &lt;RUB&gt;</p>"
            "<ul><li>one</li><li>two</li></ul></body></html>")
    assert html_to_text(html) == "Offer\n\nPrice: 100 <RUB>\n\none\n\ntwo"


def test_threading_headers_and_dates() -> None:
    mail = parse(b"Message-ID: <m2@x>\r\nIn-Reply-To: <m1@x>\r\n"
                 b"References: <m0@x> <m1@x>\r\nDate: Wed, 14 Jan 2026 09:15:00 +0000\r\n"
                 b"\r\nbody")
    assert mail.message_id == "<m2@x>" and mail.replies_to == ("<m1@x>", "<m0@x>")
    assert mail.sent_at is not None and mail.notes == ()
    broken = parse(b"Date: yesterday\r\n\r\nbody")
    assert broken.sent_at is None and any("Date" in note for note in broken.notes)
