"""Reference marketplace: the Seller API server, its OAuth login and a buyer simulator.

It shares nothing with the studio but the HTTP contract in docs/seller-api.md.
"""
