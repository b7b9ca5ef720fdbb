"""Messages name settings by the labels the Settings screen shows, not by their keys
(issue 22 §4: "fill in smtp_host")."""

from __future__ import annotations

import pytest

from crm_tui.i18n import set_language
from crm_tui.mail.smtp import MailError, OutgoingMail, SmtpSettings, send


@pytest.mark.parametrize("language, label", [("ru", "Сервер SMTP"), ("en", "SMTP host")])
def test_missing_smtp_server_names_the_setting_by_its_label(language: str, label: str) -> None:
    set_language(language)
    try:
        with pytest.raises(MailError) as raised:
            send(SmtpSettings("", 25, "none", "", "", "me@x.org"),
                 OutgoingMail("", "a@example.com", "s", "b"))
    finally:
        set_language("en")
    assert label in str(raised.value) and "smtp_host" not in str(raised.value)
