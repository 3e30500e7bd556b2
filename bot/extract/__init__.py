"""Extraction: the rules of English that turn one article into its people, quotes and dated events.

The vocabulary lives in `lexicon/` (one entry a line); `pipeline.extract` runs the rules over a
Document, `dates`, `quotes` and `people` hold the rules, each with its own table tests.
"""
