"""The index file's format version, shared by its writer (bot/ingest/build.py, beside the DDL) and
its reader (bot/index.py), so that the read side does not import the ingest. Bump it with any change
to the index's tables; an index of another version is rebuilt, never read."""

SCHEMA_VERSION = 5
