"""Bounded integer types for every id a client sends, in a path or in a body.

Ids are 64-bit signed integers in the database. An unbounded `int` lets 2**70 through
validation and the database driver then fails (a 500, or a dropped connection), so every
client-supplied id is declared with these types and answered with a 422 instead.
"""

from typing import Annotated

from fastapi import Path
from pydantic import Field

MAX_ID = 2**63 - 1  # the largest BIGINT / SQLite INTEGER

IdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="A positive id (64-bit).")]
IdField = Annotated[int, Field(ge=1, le=MAX_ID)]
