"""The dialogue engine: a customer's words in, a verified, guarded reply out."""
