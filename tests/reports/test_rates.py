import pytest

from reports.rates import chart_rate, format_rate


@pytest.mark.parametrize(
    ("numerator", "denominator", "printed"),
    [
        (35, 40, "87.5%"),
        (28, 30, "93.3%"),
        (297, 312, "95.2%"),
        (166, 390, "42.6%"),
        (44, 50, "88%"),
        (40, 40, "100%"),
        (0, 40, "0%"),
        (1, 3, "33.3%"),
        (2, 3, "66.7%"),
        (1, 8, "12.5%"),  # half up, not to even
        (9999, 10000, "100%"),  # rounds to a whole number: no ".0"
    ],
)
def test_a_rate_prints_one_decimal_unless_whole(numerator, denominator, printed):
    assert format_rate(numerator, denominator) == printed


@pytest.mark.parametrize("denominator", [0, None])
def test_a_rate_over_nothing_prints_a_dash(denominator):
    assert format_rate(0, denominator) == "—"
    assert format_rate(5, denominator) == "—"
    assert chart_rate(5, denominator) is None


def test_the_chart_gets_the_same_rounded_number():
    assert chart_rate(166, 390) == 42.6
    assert chart_rate(44, 50) == 88.0
