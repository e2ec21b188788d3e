"""One file's unexpected load error is that file's rejection, never the build's failure."""

from __future__ import annotations

import pytest

from orchestration.assets.raw import load_one
from orchestration.settings import MissingPiiKey, load_settings

CITIZEN_ID = "001234567890"


@pytest.fixture
def settings(tmp_path, monkeypatch):
    monkeypatch.setenv("TTHC_LANDING_DIR", str(tmp_path / "landing"))
    monkeypatch.setenv("TTHC_WAREHOUSE_DIR", str(tmp_path / "warehouse"))
    monkeypatch.setenv("TTHC_SETTLE_SECONDS", "0")
    folder = tmp_path / "landing" / "dossier_system" / "2024-04-01"
    folder.mkdir(parents=True)
    (folder / "hoso_20240401.jsonl").write_text("{}\n")
    return load_settings()


def test_an_unexpected_error_rejects_the_file_names_no_value_and_asks_for_a_retry(settings):
    def broken_loader(_settings, _key):
        raise ValueError(f"could not cast {CITIZEN_ID!r} to an integer")

    result = load_one(broken_loader, settings, "dossier_versions", "2024-04-01")
    assert result.file == "dossier_system/2024-04-01/hoso_20240401.jsonl"
    assert result.rejected.startswith(
        "dossier_system/2024-04-01/hoso_20240401.jsonl: rejected: could not be read (ValueError, "
        "details in quarantine/dossier_versions/2024-04-01.error.txt)"
    )
    assert CITIZEN_ID not in result.to_json() and result.retry is True
    kept = settings.warehouse_dir / "quarantine/dossier_versions/2024-04-01.error.txt"
    assert CITIZEN_ID in kept.read_text() and kept.stat().st_mode & 0o777 == 0o600
    assert kept.parent.stat().st_mode & 0o777 == 0o700


def test_a_missing_key_still_stops_the_build(settings):
    def needs_key(_settings, _key):
        raise MissingPiiKey("TTHC_PII_KEY is not set")

    with pytest.raises(MissingPiiKey):
        load_one(needs_key, settings, "dossier_versions", "2024-04-01")
