"""The demo: realistic fake items with photos, and the local marketplace it connects to."""
