"""index_766, vneid_coverage and publication_timeliness on the hand-made raw layer."""

import pytest

from tests.figures.raw_fixture import PROV


def test_index_766_prov_april(built):
    scores = {
        r[0]: r[1:]
        for r in built.query(
            "select score_code, score, max_score, portal_score, score_diff from marts.index_766"
            " where period = '2024-04' and level = 'agency' and unit_code = ?",
            [PROV],
        )
    }
    assert scores["progress"] == pytest.approx((20 * 6 / 9, 20, 13.0, 20 * 6 / 9 - 13.0))
    assert scores["online_payment_dossiers"][0] == pytest.approx(3.0)  # 6 × 1/2
    assert scores["satisfaction_dossiers"][0] == pytest.approx(6 * 0.5 / 0.9)  # 3/6
    assert scores["reuse"][0] == pytest.approx(2 * (1 / 8) / 0.8)
    assert scores["digitization"][0] == pytest.approx(1.0)  # 4 × 2/8
    assert scores["sync"][0] == pytest.approx(6 * 3 / 8)
    assert scores["sync"][2] is None


def test_index_766_null_score_for_null_rate(built):
    # May has no synced list: the sync score is null, the row exists
    rows = built.query(
        "select score from marts.index_766 where period = '2024-05' and level = 'agency'"
        " and unit_code = ? and score_code = 'sync'",
        [PROV],
    )
    assert rows == [(None,)]


COVERAGE = (
    "select eligible, level_1, level_2, activated, without_account, coverage_rate,"
    " activation_rate, communes_missing from marts.vneid_coverage"
    " where snapshot_date = ? and level = ? and unit_code = ?"
)


@pytest.mark.parametrize(
    ("snapshot", "level", "unit", "expected"),
    [
        # 07207 valid and absent: missing; 07210 ceased 14/5: not missing
        ("2024-05-20", "district", "213", (100, 10, 50, 40, 40, 0.6, 40 / 60, 1)),
        ("2024-05-20", "district", "222", (200, 20, 100, 60, 80, 0.6, 0.5, 0)),
        ("2024-05-20", "province", "24", (300, 30, 150, 100, 120, 0.6, 100 / 180, 1)),
        ("2024-05-20", "commune", "07207", (None, None, None, None, None, None, None, 1)),
        # on 10/5, 07210 was still valid: 07207, 07210 and 07798 are missing
        ("2024-05-10", "district", "213", (100, 10, 40, 30, 50, 0.5, 0.6, 2)),
        ("2024-05-10", "province", "24", (100, 10, 40, 30, 50, 0.5, 0.6, 3)),
    ],
)
def test_vneid_coverage(built, snapshot, level, unit, expected):
    rows = built.query(COVERAGE, [snapshot, level, unit])
    assert len(rows) == 1
    assert rows[0] == pytest.approx(expected)


def test_vneid_ceased_commune_not_listed_after_it_ceased(built):
    assert built.query(
        "select count(*) from marts.vneid_coverage where snapshot_date = '2024-05-20'"
        " and unit_code = '07210'"
    ) == [(0,)]


def test_publication_timeliness(built):
    rows = built.query(
        "select year, procedures_published, published_on_time, made_public_due,"
        " made_public_on_time, publication_on_time_rate, made_public_on_time_rate,"
        " publication_score, made_public_score from marts.publication_timeliness"
        " where agency_code = ?",
        [PROV],
    )
    # 3 procedures in 2024; 1.000002 published late; made public due: 1.000001 (its
    # September decision's deadline 13/9 passed unpublished, so late) and 1.000002 (on time);
    # 1.000003's deadline 3/1/2025 is not due.
    assert rows == [pytest.approx((2024, 3, 2, 2, 1, 2 / 3, 0.5, 4.0, 2.0))]
