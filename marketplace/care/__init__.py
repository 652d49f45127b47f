"""Care: households, their care requests, matching runs and the living teams that serve them."""
