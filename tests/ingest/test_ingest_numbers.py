"""Vietnamese number format: the pure parser and its vectorised twin agree."""

from __future__ import annotations

import polars as pl
import pytest

from ingest.dvc_portal.numbers import (
    NotANumber,
    parse_vietnamese_number,
    vietnamese_number,
    vietnamese_number_invalid,
)

CASES = [
    ("1.234", 1234),
    ("1.234.567", 1234567),
    ("14,2", 14.2),
    ("78,6%", 0.786),
    ("100%", 1.0),
    ("0,5%", 0.005),
    ("1.234,5", 1234.5),
    ("0", 0),
    ("-3", -3),
    ("  829 ", 829),
    ("1\u00a0234", 1234),
    ("", None),
    ("   ", None),
    (None, None),
]
INVALID = ["17.43", "1.23", "12,", ",5", "abc", "1,2,3", "1..234", "%", "12.3456"]


@pytest.mark.parametrize(("text", "value"), CASES)
def test_parse_vietnamese_number(text, value):
    parsed = parse_vietnamese_number(text)
    assert parsed == value
    assert type(parsed) is type(value)


def test_percent_is_exact():
    assert parse_vietnamese_number("78,6%") == 0.786  # not 78.6 / 100 = 0.7859999999999999


@pytest.mark.parametrize("text", INVALID)
def test_invalid_texts_raise(text):
    with pytest.raises(NotANumber):
        parse_vietnamese_number(text)


def test_numbers_pass_through():
    assert parse_vietnamese_number(17.43) == 17.43
    assert parse_vietnamese_number(12) == 12


def test_vectorised_version_agrees():
    texts = [t for t, _ in CASES] + INVALID
    out = pl.DataFrame({"t": texts}, schema={"t": pl.String}).select(
        vietnamese_number(pl.col("t")).alias("v"),
        vietnamese_number_invalid(pl.col("t")).alias("bad"),
    )
    for text, value, bad in zip(texts, out["v"].to_list(), out["bad"].to_list(), strict=True):
        try:
            expected = parse_vietnamese_number(text)
        except NotANumber:
            assert bad and value is None, text
        else:
            assert not bad and value == expected, text
