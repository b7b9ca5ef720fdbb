"""The settings list's rows: how values read, and what a typed text saves."""

from __future__ import annotations

import pytest

from crm_tui import credentials
from crm_tui.domain.errors import ValidationError
from crm_tui.screens.settings.rows import ROWS, change_for, editable_text, shown
from crm_tui.store.settings import DEFAULTS, validate_setting

# As the screen holds them: the user's own secrets only as set (True) or not.
VALUES = dict(DEFAULTS, smtp_password=True, dadata_token=False, working_hours=[8, 17])


def test_every_stored_setting_has_a_row() -> None:
    office = {"working_hours" if key in ("work_start", "work_end") else key
              for key, row in ROWS.items() if row.scope == "office"}
    assert office == set(DEFAULTS)
    assert {key for key, row in ROWS.items() if row.scope == "user"} == set(credentials.DEFAULTS)
    # Every secret is the user's own, none a database setting.
    assert {key for key, row in ROWS.items() if row.kind == "secret"} == \
        credentials.SECRET_KEYS
    assert not credentials.SECRET_KEYS & set(DEFAULTS)


def test_values_read_as_words_and_secrets_never_in_clear() -> None:
    assert shown(ROWS["claims_enabled"], VALUES) == "On"
    assert shown(ROWS["claims_enabled"], dict(VALUES, claims_enabled=False)) == "Off"
    assert shown(ROWS["smtp_security"], VALUES) == "STARTTLS"
    assert shown(ROWS["smtp_password"], VALUES) == "set"
    assert shown(ROWS["dadata_token"], VALUES) == "not set"
    assert editable_text(ROWS["smtp_password"], dict(VALUES, smtp_password="s3cret")) == ""
    assert shown(ROWS["work_end"], VALUES) == "17"
    assert editable_text(ROWS["work_start"], VALUES) == "8"


def test_a_half_of_the_working_hours_saves_both() -> None:
    assert change_for(ROWS["work_start"], "7", VALUES) == {"working_hours": [7, 17]}
    assert change_for(ROWS["work_end"], "20", VALUES) == {"working_hours": [8, 20]}


@pytest.mark.parametrize("text", ["", " ", "x", "1.5", "-3"])
def test_a_number_that_is_not_one_names_the_field(text: str) -> None:
    with pytest.raises(ValidationError) as raised:
        change_for(ROWS["smtp_port"], text, VALUES)
    assert "SMTP port" in str(raised.value)


def test_text_is_passed_to_the_store_s_validation() -> None:
    change = change_for(ROWS["currency"], "usd", VALUES)
    assert validate_setting("currency", change["currency"]) == "USD"
