"""The first run: a short welcome, the Help menu that reopens it, and About."""
