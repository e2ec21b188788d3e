"""The rules of personal data in the loaders (operations.md, "Guarantees"): citizen IDs are
hashed without their spaces, a key shorter than 32 bytes is refused with a clear message,
and the quarantine (raw lines, personal data included) is private: folders 0700, files 0600,
whatever the umask."""

from __future__ import annotations

import hmac
import os
import stat

import polars as pl
import pytest
from conftest import DAY, PII_KEY, dossier_line, write_day

from ingest.dossier_system.loader import load_dossier_day
from ingest.pii import applicant_key, applicant_keys, key_id
from ingest.raw_layer import partition_path, quarantine_path

TABLE = "dossier_versions"


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_citizen_ids_are_hashed_without_their_spaces(landing, warehouse):
    """One citizen, four spellings seen at the counters: one applicant_key."""
    spellings = ["024199900001", " 024199900001 ", "0241 9990 0001", "0241\u00a09990\t0001"]
    lines = [
        dossier_line(MaHoSo=f"000.00.11.H04-240401-000{i}", SoGiayToChuHoSo=spelling)
        for i, spelling in enumerate(spellings, start=1)
    ]
    write_day(landing, DAY, lines)
    result = load_dossier_day(landing, warehouse, DAY, PII_KEY)
    assert (result.rows_loaded, result.rows_quarantined) == (4, 0)
    keys = pl.read_parquet(partition_path(warehouse, TABLE, DAY)).get_column("applicant_key")
    expected = hmac.digest(PII_KEY, b"024199900001", "sha256").hex()
    assert keys.to_list() == [expected] * 4
    assert applicant_key(" 0241 9990 0001\n", PII_KEY) == expected
    # nothing but spaces is no ID, like an empty one
    assert applicant_keys(pl.Series(["", "   ", None, "0241 9990 0001"]), PII_KEY).to_list() == [
        None, None, None, expected,
    ]  # fmt: skip


@pytest.mark.parametrize("length", [0, 1, 16, 31])
def test_a_key_shorter_than_32_bytes_is_refused(length, landing, warehouse):
    key = b"k" * length
    message = "the PII key is empty" if length == 0 else f"TTHC_PII_KEY is {length} bytes long"
    for use in (
        lambda: applicant_key("024199900001", key),
        lambda: applicant_keys(pl.Series(["024199900001"]), key),
        lambda: key_id(key),
    ):
        with pytest.raises(ValueError, match=message):
            use()
    write_day(landing, DAY, [dossier_line()])
    with pytest.raises(ValueError):
        load_dossier_day(landing, warehouse, DAY, key)
    assert not partition_path(warehouse, TABLE, DAY).exists()
    assert applicant_key("024199900001", b"k" * 32) is not None  # 32 bytes: accepted


@pytest.mark.parametrize("umask", [0o022, 0o000])
def test_the_quarantine_is_private_whatever_the_umask(umask, landing, warehouse):
    quarantine = warehouse / "quarantine"
    if umask == 0o000:  # a quarantine folder left open by an earlier version is closed
        quarantine.mkdir(mode=0o755, exist_ok=True)
        quarantine.chmod(0o755)
    write_day(landing, DAY, [dossier_line(), '{"MaHoSo": "not json"'])
    landing_modes = {p: mode(p) for p in [landing, *landing.rglob("*")]}
    previous = os.umask(umask)
    try:
        result = load_dossier_day(landing, warehouse, DAY, PII_KEY)
    finally:
        os.umask(previous)
    assert (result.rows_loaded, result.rows_quarantined) == (1, 1)
    held = quarantine_path(warehouse, TABLE, DAY)
    assert held.parent == quarantine / TABLE
    assert (mode(quarantine), mode(held.parent), mode(held)) == (0o700, 0o700, 0o600)
    assert list(held.parent.iterdir()) == [held]  # no temporary file left beside it
    # only the restricted zone: the raw layer keeps the umask's modes, the landing zone its own
    assert mode(partition_path(warehouse, TABLE, DAY)) == 0o666 & ~umask
    assert {p: mode(p) for p in [landing, *landing.rglob("*")]} == landing_modes
