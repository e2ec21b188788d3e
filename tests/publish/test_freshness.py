"""Freshness (sources.md): the latest partition of each source, judged at TTHC_AS_OF."""

from datetime import date

from orchestration.load_records import LoadRecord
from publish.data_quality import freshness, freshness_rows


def record(table, key, rejected=None):
    return LoadRecord(table=table, partition_key=key, rejected=rejected, file=f"{table}/{key}")


def test_a_day_partition_is_judged_from_its_day():
    assert not freshness("dossier_system", ["2024-06-28", "2024-06-29"], date(2024, 7, 1)).stale
    late = freshness("dossier_system", ["2024-06-28"], date(2024, 7, 1))
    assert late.stale and late.age_days == 3
    assert late.details() == (
        "latest partition 2024-06-28 is 3 days old at 2024-07-01 (TTHC_AS_OF); "
        "a dossier extract every day is expected, at most 2 days old"
    )
    assert not freshness("vneid", ["2024-06-24"], date(2024, 7, 2)).stale  # 8 days
    assert freshness("vneid", ["2024-06-24"], date(2024, 7, 3)).stale  # 9 days


def test_a_month_partition_is_judged_from_the_month_s_last_day():
    on_time = freshness("dvc_portal", ["2024-05", "2024-06"], date(2024, 8, 9))
    assert (on_time.covers_through, on_time.age_days, on_time.stale) == (date(2024, 6, 30), 40, False)
    assert "latest partition 2024-06 (through 2024-06-30) is 40 days old" in on_time.details()
    assert freshness("dvc_portal", ["2024-06"], date(2024, 8, 10)).stale
    assert freshness("dvc_portal", ["2024-02"], date(2024, 3, 1)).covers_through == date(2024, 2, 29)


def test_data_quality_has_one_row_per_source_and_only_warns():
    records = [
        record("dossier_versions", "2024-06-30"),
        record("dossier_versions", "2024-07-01", rejected="empty file"),  # brings no data
        record("portal_766", "2024-04"),
        record("portal_synced", "2024-06"),
        LoadRecord(table="don_vi", partition_key=None, rejected=None),
    ]
    rows = {row.source: row for row in freshness_rows(records, date(2024, 7, 3))}
    assert set(rows) == {"dossier_system", "dvc_portal", "vneid"}
    assert all(r.check_name == "stale_source" and r.severity == "warn" for r in rows.values())
    assert (rows["dossier_system"].object, rows["dossier_system"].passed) == ("dossier_system/2024-06-30", False)
    assert "3 days old at 2024-07-03" in rows["dossier_system"].details
    # either portal table keeps the source fresh; each one's gaps are completeness rows
    assert (rows["dvc_portal"].object, rows["dvc_portal"].passed) == ("dvc_portal/2024-06", True)
    assert (rows["vneid"].object, rows["vneid"].passed) == ("vneid", False)
    assert rows["vneid"].details.startswith("no accepted partition delivered")


def test_one_day_is_written_in_the_singular():
    from datetime import date

    from publish.data_quality import freshness

    assert " is 1 day old at 2024-07-01" in freshness("dossier_system", ["2024-06-30"], date(2024, 7, 1)).details()
