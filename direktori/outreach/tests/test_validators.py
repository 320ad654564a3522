from __future__ import annotations

import pytest

from direktori.outreach.validators import looks_like_mykad, looks_like_phone


@pytest.mark.parametrize("text", ["900101-14-5678", "IC 900101145678 diberi", "no. 900101 14 5678"])
def test_mykad_numbers_are_recognised(text: str) -> None:
    assert looks_like_mykad(text)


@pytest.mark.parametrize(
    "text",
    [
        "hubungi 012-345 6789",
        "+6012-3456789",
        "60123456789",
        "03-1234 5678",
        "011-1234 5678",
        "082-123456",
        "2025 0123456789",
    ],
)
def test_phone_numbers_are_recognised(text: str) -> None:
    assert looks_like_phone(text)


@pytest.mark.parametrize(
    "text",
    [
        "120 orang pada 2025-05-12",
        "50 warga emas, 3 sesi",
        "Program 1-3 Mei 2025 di dewan",
        "Sumbangan RM 1500 kepada 30 keluarga",
    ],
)
def test_ordinary_text_passes(text: str) -> None:
    assert not looks_like_mykad(text)
    assert not looks_like_phone(text)
