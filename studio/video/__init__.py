"""Listing videos: probe, trim, cover frame and encode phone clips; no Qt here."""
