"""Reports written into each publication folder (issue 7): the offline dashboard, the Biểu 06
workbooks, the overdue / inflated-appointment lists, dbt docs, and the KPI scorecard.

Everything here reads the publication (``<folder>/tthc_marts.duckdb``), never the working
warehouse, so a report always shows exactly the figures BI reads from the same folder.
"""

from publish.reports.dbt_docs import write_dbt_docs
from publish.reports.scorecard import print_scorecard, scorecard_table
from publish.reports.writer import REPORTS_DIR, write_reports

__all__ = ["REPORTS_DIR", "print_scorecard", "scorecard_table", "write_dbt_docs", "write_reports"]
