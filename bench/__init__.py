"""Benchmarks: `python -m bench NAME` prints one JSON object as its last line."""
