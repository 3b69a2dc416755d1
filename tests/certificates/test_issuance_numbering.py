"""Generated certificate numbers and their check character (ISO 7064 MOD 11-2)."""

from __future__ import annotations

import pytest

from certificates.numbering import check_character, looks_generated, number_format, number_is_valid


def test_the_check_character_is_iso_7064_mod_11_2():
    # The national ID number uses the same scheme: 11010519491231002X is a valid one.
    assert check_character("11010519491231002") == "X"
    assert check_character("0794") == "0"  # the standard's own example


def test_a_generated_number_carries_code_year_sequence_and_check():
    number = number_format(code="C01", year=2024, seq=17)
    assert number == "C0120240000172"
    assert number_is_valid(number, code="C01")
    assert looks_generated(number, code="C01")


@pytest.mark.parametrize("seq", [1, 9, 10, 99, 123456, 999999])
def test_every_mistyped_digit_is_caught(seq):
    number = number_format(code="C01", year=2024, seq=seq)
    body = number[3:]
    for position in range(len(body)):
        for digit in "0123456789X":
            if digit == body[position] or (digit == "X" and position < len(body) - 1):
                continue
            typo = "C01" + body[:position] + digit + body[position + 1 :]
            assert not number_is_valid(typo, code="C01"), typo


@pytest.mark.parametrize("seq", [12, 345, 67890, 246801])
def test_every_swap_of_neighbouring_digits_is_caught(seq):
    number = number_format(code="C01", year=2024, seq=seq)
    body = number[3:]
    for position in range(len(body) - 1):
        if body[position] == body[position + 1]:
            continue
        swapped = body[:position] + body[position + 1] + body[position] + body[position + 2 :]
        assert not number_is_valid("C01" + swapped, code="C01"), swapped


def test_a_number_of_another_certificate_or_shape_is_not_a_valid_generated_one():
    number = number_format(code="C01", year=2024, seq=5)
    assert not number_is_valid(number, code="C02")
    assert not number_is_valid(number[:-2], code="C01")
    assert not looks_generated("ORG-2024-0001", code="C01")


def test_full_width_and_spaces_are_normalised():
    number = number_format(code="C01", year=2024, seq=5)
    wide = "".join(chr(ord(c) + 0xFEE0) for c in number)
    assert number_is_valid(wide, code="C01")
    assert number_is_valid(" ".join(number).lower(), code="c01")
