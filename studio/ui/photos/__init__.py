"""The Photo Studio screen: photo grid, before/after preview, styling, batches, folder import."""
