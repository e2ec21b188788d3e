"""`schema_version` of every publication (publication.json, marts.md): raised on any change of a
published column, so that a BI report built on one schema can tell that the columns moved.

SCHEMA_FINGERPRINT is the hash of every published (mart, column, type); the test
tests/publish/test_descriptions.py::test_the_schema_version_follows_the_published_columns
compares it with the columns a build publishes and fails, naming this file, when they differ:
raise SCHEMA_VERSION and write the new fingerprint it prints.
"""

SCHEMA_VERSION = 1  # the first published schema_version (issue 18): tier, weeks, restated, portal_766, dim_*
SCHEMA_FINGERPRINT = "d23746cca37d59adcf0b39e556a56d53be603baa7a818be76bfb2b5c157fc0aa"


def schema_fingerprint(columns: list[tuple[str, str, str]]) -> str:
    """sha256 over the sorted (mart, column, type) triples of a publication."""
    import hashlib

    digest = hashlib.sha256()
    for mart, column, data_type in sorted(columns):
        digest.update(f"{mart}.{column}:{data_type};".encode())
    return digest.hexdigest()
