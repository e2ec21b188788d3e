"""Pseudonymisation of the applicant: ``applicant_key`` = HMAC-SHA256(key, citizen ID), hex.

The key (``TTHC_PII_KEY``) stays outside the warehouse, so the raw layer can join the
dossiers of one citizen without holding the citizen ID. Without the key the hex digests
cannot be reversed by enumerating the 10^12 possible IDs, which a plain hash would allow.

The ID is hashed without its spaces: "0012 3456 7890", " 001234567890 " and "001234567890"
are one citizen, written three ways by the counter clerks, and get one applicant_key.

No message of this module carries an ID, the key or a digest: they end in load results,
Dagster's event log and the UI.
"""

from __future__ import annotations

import hmac

import polars as pl

# HMAC-SHA256 is as strong as its key: a key of a few words is found by trying keys against
# one known (ID, applicant_key) pair, and then every applicant_key is reversed by trying the
# 10^12 IDs. 32 bytes (256 bits, the digest's size) cannot be tried.
MIN_KEY_BYTES = 32
# Every white-space character, anywhere in the ID (polars' \s is Unicode: a no-break space
# copied from a spreadsheet counts too)
_SPACES = r"\s+"
# The fingerprint's label names the ID's normalisation: a change of it (v2: spaces removed)
# changes every fingerprint, so every dossier day is reloaded, as after a new key, and the
# raw layer never mixes applicant keys made under two rules.
_KEY_ID_LABEL = b"tthc/applicant_key/key-id/v2:no-spaces"


def key_problem(key: bytes) -> str | None:
    """Why ``key`` cannot hash citizen IDs (empty, or shorter than 32 bytes), or None.

    Says the key's length, never the key."""
    if not key:
        return "the PII key is empty: set TTHC_PII_KEY"
    if len(key) < MIN_KEY_BYTES:
        return (
            f"TTHC_PII_KEY is {len(key)} bytes long; it must be at least {MIN_KEY_BYTES}: "
            "with a short key, applicant_key can be reversed by trying keys and then every "
            "citizen ID. Generate one with "
            "`python -c 'import secrets; print(secrets.token_hex(32))'` and keep it out of "
            "the repository (a new key reloads every dossier day)."
        )
    return None


def _checked(key: bytes) -> bytes:
    problem = key_problem(key)
    if problem:
        raise ValueError(problem)
    return key


def applicant_key(citizen_id: str | None, key: bytes) -> str | None:
    """One ID's applicant_key (the rule of ``applicant_keys``); None when there is no ID."""
    return applicant_keys(pl.Series([citizen_id], dtype=pl.String), key)[0]


def key_id(key: bytes) -> str:
    """A short fingerprint of the key (an HMAC of a constant, not the key): stored in the
    load records so that a changed ``TTHC_PII_KEY`` reloads every dossier partition instead
    of mixing applicant keys of two keys in the raw layer."""
    return hmac.digest(_checked(key), _KEY_ID_LABEL, "sha256").hex()[:16]


def applicant_keys(citizen_ids: pl.Series, key: bytes) -> pl.Series:
    """HMAC-SHA256 hex digest of each ID without its spaces; null where there is no ID or
    only spaces. Hashes each distinct ID once and maps the digests back.

    Citizens come back many times (one version per day of change), so hashing the distinct
    IDs only and joining back costs a fraction of the rows: ~1 µs per distinct ID.
    """
    _checked(key)
    ids = citizen_ids.cast(pl.String).str.replace_all(_SPACES, "")
    ids = ids.set(ids == "", None) if ids.len() else ids  # no ID, or only spaces
    distinct = ids.drop_nulls().unique()
    digests = pl.Series(
        "digest",
        [hmac.digest(key, v.encode("utf-8"), "sha256").hex() for v in distinct.to_list()],
        dtype=pl.String,
    )
    mapping = dict(zip(distinct.to_list(), digests.to_list(), strict=True))
    return ids.replace_strict(mapping, default=None, return_dtype=pl.String).alias("applicant_key")


def applicant_key_expr(column: str, key: bytes) -> pl.Expr:
    """Expression form, for ``with_columns``: maps whole batches, never row by row."""
    return (
        pl.col(column)
        .map_batches(lambda s: applicant_keys(s, key), return_dtype=pl.String)
        .alias("applicant_key")
    )
