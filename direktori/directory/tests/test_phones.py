from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from direktori.directory import phones


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    # The assertions read the English messages; pages and commands default to Malay.
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("raw", "stored", "shown"),
    [
        ("03-8947 5555", "+60389475555", "03-8947 5555"),
        ("0389475555", "+60389475555", "03-8947 5555"),
        ("+603 3000 8858", "+60330008858", "03-3000 8858"),
        ("06-3573201", "+6063573201", "06-357 3201"),
        ("019-2615999", "+60192615999", "019-261 5999"),
        ("+6018 988 8058", "+60189888058", "018-988 8058"),
        ("011-1234 5678", "+601112345678", "011-1234 5678"),
    ],
    ids=["03-landline", "03-digits-only", "international-form", "06-landline", "mobile",
         "mobile-international", "011-mobile"],
)  # fmt: skip
def test_numbers_are_stored_in_e164_and_shown_as_people_write_them(
    raw: str, stored: str, shown: str
) -> None:
    assert phones.normalise(raw) == stored
    assert phones.display(stored) == shown


@pytest.mark.parametrize("code", ["999", "15999", " 15 999 ", "112"])
def test_short_codes_are_kept_as_digits(code: str) -> None:
    digits = code.replace(" ", "")
    assert phones.normalise(code, short_code=True) == digits
    assert phones.display(digits) == digits
    assert phones.tel_uri(digits) == f"tel:{digits}"


def test_a_short_code_is_not_an_ordinary_number() -> None:
    with pytest.raises(ValidationError):
        phones.normalise("15999")


@pytest.mark.parametrize("raw", ["12", "123456", "99a", ""])
def test_bad_short_codes_are_refused_with_an_example(raw: str) -> None:
    with pytest.raises(ValidationError) as error:
        phones.normalise(raw, short_code=True)
    assert "999 or 15999" in error.value.messages[0]


@pytest.mark.parametrize("raw", ["03-1234", "12345", "019-26159", "010-000 0001"])
def test_invalid_numbers_are_refused_with_a_readable_message(raw: str) -> None:
    with pytest.raises(ValidationError) as error:
        phones.normalise(raw)
    message = error.value.messages[0]
    assert raw in message
    assert "not a valid Malaysian phone number" in message
    assert "03-8947 5555" in message


def test_text_that_is_no_number_at_all_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        phones.normalise("call the office")
    assert error.value.messages == ["“call the office” is not a phone number."]


def test_foreign_numbers_are_shown_internationally() -> None:
    stored = phones.normalise("+44 20 7946 0018")
    assert stored == "+442079460018"
    assert phones.display(stored) == "+44 20 7946 0018"


def test_tel_and_whatsapp_links() -> None:
    assert phones.tel_uri("+60389475555") == "tel:+60389475555"
    assert phones.whatsapp_url("+60192615999") == "https://wa.me/60192615999"


@given(st.sampled_from(["012", "013", "016", "017", "019"]), st.from_regex(r"\A[2-9][0-9]{6}\Z"))
def test_any_mobile_survives_display_and_normalise_again(prefix: str, rest: str) -> None:
    stored = phones.normalise(f"{prefix}-{rest}")
    assert stored == f"+60{prefix[1:]}{rest}"
    assert phones.normalise(phones.display(stored)) == stored
    assert phones.whatsapp_url(stored) == f"https://wa.me/60{prefix[1:]}{rest}"


@given(st.from_regex(r"\A[2-9][0-9]{7}\Z"))
def test_any_03_landline_is_written_03_dash_four_space_four(rest: str) -> None:
    try:
        stored = phones.normalise(f"03{rest}")
    except ValidationError:
        return  # not every 03 block is assigned
    assert phones.display(stored) == f"03-{rest[:4]} {rest[4:]}"
    assert phones.normalise(phones.display(stored)) == stored


@given(st.text(alphabet="0123456789 -", max_size=8))
def test_short_codes_are_three_to_five_digits(raw: str) -> None:
    digits = raw.replace(" ", "").replace("-", "")
    if 3 <= len(digits) <= 5:
        assert phones.normalise(raw, short_code=True) == digits
    else:
        with pytest.raises(ValidationError):
            phones.normalise(raw, short_code=True)
