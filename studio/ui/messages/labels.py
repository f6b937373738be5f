"""What the Messages screens call each kind of message and offer."""

KIND_LABELS = {
    "greeting": "Greeting",
    "thank_you": "Thank you",
    "bundle_suggestion": "Bundle",
    "reply": "Reply",
}
OFFER_LABELS = {  # by OfferKind (studio/sync/port.py)
    "buyer": "Offer",
    "counter": "Counter offer",
    "to_likers": "Offer to likers",
}
