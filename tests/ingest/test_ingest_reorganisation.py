"""The fields of the reorganisation contract (reorganisation.md) at the door: don_vi.csv's
optional successor column and the dossier extract's optional receiving desk."""

from __future__ import annotations

import polars as pl
from conftest import DAY, PII_KEY, dossier_line, write_day

from ingest import raw_layer
from ingest.dossier_system import load_dossier_day
from ingest.raw_layer import DOSSIER_VERSIONS, REFERENCE, partition_path, reference_path
from ingest.reference.loader import load_reference_file

HEADER = "ma_don_vi,ten_don_vi,cap,ma_dvhc,ma_don_vi_cha,hieu_luc_tu,hieu_luc_den"
PROV, XA, UNKNOWN = "000.00.11.H04", "201.21.21.H04", "999.99.99.H99"


def test_don_vi_without_the_successor_column_loads_as_before(warehouse):
    # the conftest's don_vi.csv is delivered as before the column: no successors, no warning
    loaded = pl.read_parquet(reference_path(warehouse, "don_vi"))
    assert loaded.schema == REFERENCE["don_vi"]
    assert loaded["ma_don_vi_ke_thua"].to_list() == [None, None, None]


def test_don_vi_successor_column_loads_and_a_bad_code_is_quarantined(landing, tmp_path):
    (landing / "reference" / "don_vi.csv").write_text(
        f"{HEADER},ma_don_vi_ke_thua\n"
        "000.00.21.H04,UBND huyện cũ,huyen,213,,2008-01-01,2025-06-30,000.00.11.H04\n"
        "000.00.11.H04,Sở Tư pháp,tinh,24,,2008-01-01,,\n"
        "000.00.22.H04,UBND huyện khác,huyen,214,,2008-01-01,2025-06-30,Sở Tư pháp\n",
        encoding="utf-8",
    )
    warehouse = tmp_path / "wh"
    result = load_reference_file(landing, warehouse, "don_vi")
    assert (result.rows_loaded, result.rows_quarantined, result.warnings) == (2, 1, [])
    assert result.quarantine_reasons == {"bad_pattern:ma_don_vi_ke_thua": 1}
    loaded = pl.read_parquet(reference_path(warehouse, "don_vi"))
    assert loaded.select("ma_don_vi", "ma_don_vi_ke_thua").rows() == [
        ("000.00.21.H04", "000.00.11.H04"),
        ("000.00.11.H04", None),
    ]


def test_receiving_desk_is_kept_as_delivered_and_never_quarantines(landing, warehouse):
    desks = [PROV, XA, UNKNOWN, None, ""]  # = MaCoQuan, another desk, unknown, absent, empty
    lines = []
    for n, desk in enumerate(desks, start=1):
        extra = {} if desk is None else {"MaDonViTiepNhan": desk}
        lines.append(dossier_line(MaHoSo=f"000.00.11.H04-240401-000{n}", **extra))
    write_day(landing, DAY, lines)
    result = load_dossier_day(landing, warehouse, DAY, PII_KEY)
    # an unknown desk is a warning computed in dbt from the current don_vi.csv, not a door rule
    assert (result.rows_loaded, result.rows_quarantined, result.warnings) == (5, 0, [])
    raw = pl.read_parquet(partition_path(warehouse, "dossier_versions", DAY))
    assert raw.schema == DOSSIER_VERSIONS
    # absent and empty are both null here; staging reads them as MaCoQuan
    assert raw["MaDonViTiepNhan"].to_list() == [PROV, XA, UNKNOWN, None, None]


def test_an_older_schema_file_is_rewritten_with_the_new_columns(tmp_path):
    """dbt reads the raw layer by name: the zero-row schema file is what gives a column
    added to the contract to a warehouse whose partitions were all written before it."""
    folder = raw_layer.raw_dir(tmp_path, "dossier_versions")
    older = pl.DataFrame(schema={k: v for k, v in DOSSIER_VERSIONS.items() if k != "MaDonViTiepNhan"})
    raw_layer.write_parquet_atomically(older, folder / raw_layer.SCHEMA_FILE)
    raw_layer.ensure_schema_files(tmp_path)
    assert pl.read_parquet_schema(folder / raw_layer.SCHEMA_FILE) == dict(DOSSIER_VERSIONS)
    don_vi = tmp_path / "raw" / "reference" / "don_vi" / raw_layer.SCHEMA_FILE
    assert "ma_don_vi_ke_thua" in pl.read_parquet_schema(don_vi)
    mtime = don_vi.stat().st_mtime_ns
    raw_layer.ensure_schema_files(tmp_path)  # an up-to-date schema file is left alone
    assert don_vi.stat().st_mtime_ns == mtime
