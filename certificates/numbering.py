"""Certificate numbers: the generated format and its check character (ISO 7064 MOD 11-2).

A generated number is the certificate's code, the year, a six-digit sequence and one check
character computed over the ten digits of year and sequence, e.g. ``C0120240000172``
(C01, 2024, 000017, check 2). MOD 11-2 is the scheme of the national ID number: it catches every single
mistyped digit and every swap of two neighbouring digits; its check character is 0-9 or X.
"""

from __future__ import annotations

import re
import unicodedata

NUMBER_CHARS = re.compile(r"[A-Z0-9-]{4,40}")


def check_character(digits: str) -> str:
    """ISO 7064 MOD 11-2 over a string of digits."""
    if not digits.isdigit():
        raise ValueError("the check character is computed over digits only")
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2 % 11
    value = (12 - total) % 11
    return "X" if value == 10 else str(value)


def number_format(*, code: str, year: int, seq: int) -> str:
    """The generated number for a certificate code, a year and a sequence value."""
    digits = f"{year:04d}{seq:06d}"
    return f"{normalise_number(code)}{digits}{check_character(digits)}"


def normalise_number(value: str) -> str:
    """Full-width characters to half-width, spaces dropped, letters upper case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value or "")).upper()


def generated_pattern(code: str) -> re.Pattern[str]:
    return re.compile(rf"{re.escape(normalise_number(code))}(\d{{10}})([\dX])")


def looks_generated(number: str, *, code: str) -> bool:
    """Whether a number has the shape of one this system generates for ``code``."""
    return generated_pattern(code).fullmatch(normalise_number(number)) is not None


def number_is_valid(number: str, *, code: str) -> bool:
    """A generated number of certificate ``code`` whose check character is right."""
    match = generated_pattern(code).fullmatch(normalise_number(number))
    return match is not None and check_character(match.group(1)) == match.group(2)
