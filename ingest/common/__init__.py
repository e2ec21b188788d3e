"""Helpers shared by the readers of every source: reading a landed file, rule evaluation,
writing a partition and its quarantine."""
