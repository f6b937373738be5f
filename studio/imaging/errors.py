"""The one error a photo can fail with, worded for the person who owns the photo."""


class PhotoError(Exception):
    """A photo cannot be read or processed; the message says why and what to do."""
