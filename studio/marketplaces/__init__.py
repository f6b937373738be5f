"""One package per marketplace adapter, behind the typed port in studio/sync/port.py."""
