"""Seller Studio: an offline-first desktop studio for resellers."""

__version__ = "0.1.0"
