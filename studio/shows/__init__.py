"""Live shows: a dated line-up of items, its run sheet, and the sales made on air."""
