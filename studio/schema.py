"""Every table module, imported once so SQLModel.metadata holds the whole schema.

Migrations compare against this metadata; a new table module is added here.
"""

from sqlmodel import SQLModel

import studio.models
import studio.order_models

TABLE_MODULES = (studio.models, studio.order_models)
metadata = SQLModel.metadata
