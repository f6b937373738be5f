"""The window's side of sync: the controller, the status-bar indicator, the Marketplace screen."""
