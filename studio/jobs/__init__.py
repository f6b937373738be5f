"""Scheduled work: the scheduler the bootstrap owns, every job it runs, and the database the
jobs of a running app share with its window."""
