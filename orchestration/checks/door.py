"""Checks at the door, shown on each raw asset: the load records and the GX suite result.

Pure functions from load results to AssetCheckResults. Metadata carries counts, reason
codes and file paths only, never a value from a row (personal data stays in quarantine).
"""

from __future__ import annotations

import dagster as dg

from ingest.raw_layer import MAX_QUARANTINE_RATE
from orchestration.load_records import LoadRecord

ROWS_ACCOUNTED = "rows_accounted"
QUARANTINE_SHARE = "quarantine_within_5pct"  # a check's name: stays when the limit moves
FILES_ACCEPTED = "files_accepted"
GX_SUITE = "gx_suite"
TOTAL_ROW = "total_row_matches"

_LIMIT = f"{MAX_QUARANTINE_RATE:.0%}"


def door_check_specs(asset_key: dg.AssetKey, with_total_row: bool = False) -> list[dg.AssetCheckSpec]:
    specs = [
        dg.AssetCheckSpec(ROWS_ACCOUNTED, asset=asset_key, blocking=True,
                          description="Every row read is loaded or quarantined: read = loaded + quarantined, per file."),
        dg.AssetCheckSpec(QUARANTINE_SHARE, asset=asset_key, blocking=True,
                          description=f"No batch (file) has more than {_LIMIT} of its rows quarantined; such a batch holds the publication back until re-delivered."),
        dg.AssetCheckSpec(FILES_ACCEPTED, asset=asset_key,
                          description="Files rejected as a whole (not UTF-8, empty, wrong day, missing columns): a warning, the rest loads."),
        dg.AssetCheckSpec(GX_SUITE, asset=asset_key, blocking=True,
                          description="The Great Expectations suite of the source (expectations/) on the rows loaded in this run."),
    ]  # fmt: skip
    if with_total_row:
        specs.append(
            dg.AssetCheckSpec(TOTAL_ROW, asset=asset_key,
                              description="The portal report's Tổng cộng row equals the sum of its agency rows (a warning).")
        )  # fmt: skip
    return specs


def door_check_results(
    asset_key: dg.AssetKey, records: list[LoadRecord], gx_summary: dict | None, with_total_row: bool = False
) -> list[dg.AssetCheckResult]:
    accepted = [r for r in records if not r.rejected]
    unbalanced = [r for r in accepted if r.rows_read != r.rows_loaded + r.rows_quarantined]
    over_share = [r for r in accepted if r.over_quarantine_limit]
    # whole files refused, a re-delivery among them (its partition keeps its last accepted
    # delivery, counted in `accepted` above)
    rejected = [r for r in records if r.rejected or r.rejected_redelivery]
    reasons: dict[str, int] = {}
    for r in accepted:
        for reason, rows in r.quarantine_reasons.items():
            reasons[reason] = reasons.get(reason, 0) + rows

    results = [
        dg.AssetCheckResult(
            asset_key=asset_key, check_name=ROWS_ACCOUNTED, passed=not unbalanced,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                "files": len(accepted),
                "rows_read": sum(r.rows_read for r in accepted),
                "rows_loaded": sum(r.rows_loaded for r in accepted),
                "rows_quarantined": sum(r.rows_quarantined for r in accepted),
                "unbalanced_files": dg.MetadataValue.json([r.file for r in unbalanced]),
            },
        ),
        dg.AssetCheckResult(
            asset_key=asset_key, check_name=QUARANTINE_SHARE, passed=not over_share,
            severity=dg.AssetCheckSeverity.ERROR,
            description=_files_message(over_share, f"more than {_LIMIT} of rows quarantined"),
            metadata={
                "quarantine_reasons": dg.MetadataValue.json(dict(sorted(reasons.items()))),
                "files_over_5pct": dg.MetadataValue.json(
                    {r.file: f"{r.rows_quarantined}/{r.rows_read}" for r in over_share}
                ),
            },
        ),
        dg.AssetCheckResult(
            asset_key=asset_key, check_name=FILES_ACCEPTED, passed=not rejected,
            severity=dg.AssetCheckSeverity.WARN,
            description=_files_message(rejected, "rejected"),
            metadata={"rejected": dg.MetadataValue.json({
                r.file or r.partition_key: r.rejected or r.rejected_redelivery for r in rejected
            })},
        ),
        dg.AssetCheckResult(
            asset_key=asset_key, check_name=GX_SUITE,
            passed=bool(gx_summary is None or gx_summary.get("success")),
            severity=dg.AssetCheckSeverity.ERROR,
            description=None if gx_summary else "no rows loaded in this run: nothing to validate",
            metadata={"gx": dg.MetadataValue.json(gx_summary or {})},
        ),
    ]  # fmt: skip
    if with_total_row:
        mismatched = [r for r in accepted if not r.checks.get("total_row", {}).get("passed", True)]
        results.append(
            dg.AssetCheckResult(
                asset_key=asset_key, check_name=TOTAL_ROW, passed=not mismatched,
                severity=dg.AssetCheckSeverity.WARN,
                description=_files_message(mismatched, "Tổng cộng differs from the sum of agency rows"),
                metadata={"mismatches": dg.MetadataValue.json({r.file: r.checks["total_row"] for r in mismatched})},
            )
        )  # fmt: skip
    return results


def _files_message(records: list[LoadRecord], what: str) -> str | None:
    if not records:
        return None
    names = ", ".join(r.file or str(r.partition_key) for r in records[:5])
    more = f" and {len(records) - 5} more" if len(records) > 5 else ""
    return f"{len(records)} file(s) {what}: {names}{more}"
