"""Offline-first sync with marketplaces: the port, the outbox, push, pull and merge."""
