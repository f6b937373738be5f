"""The Inventory section: the item table, search and filters, editor, bulk edit, CSV."""
