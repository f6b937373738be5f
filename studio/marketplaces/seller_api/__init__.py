"""The Seller API (docs/seller-api.md): its HTTP client, its JSON, its tokens and sign-in."""
