"""The one error a video can fail with, worded for the seller who filmed it."""


class VideoError(Exception):
    """A clip cannot be read, trimmed or encoded; the message says why and what to do."""
