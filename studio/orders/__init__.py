"""Orders to ship: their tables, the service that lists and ships them, and labels."""
