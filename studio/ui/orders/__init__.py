"""The Orders screen: orders to ship, their detail, shipping them, and printing for them."""
