"""Publishing the marts to BI: write, audit, publish (marts.md, operations.md)."""
