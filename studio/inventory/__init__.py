"""The inventory: items, their fields, search, SKUs, and CSV in and out."""
