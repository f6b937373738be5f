"""The Shows section and show mode."""
