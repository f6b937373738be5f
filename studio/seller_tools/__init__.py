"""Seller tools: likes and offers, offers to likers, price drops, messages, bundle
suggestions, first-sale guidance and insights. No Qt here; the screens live in studio/ui/."""
