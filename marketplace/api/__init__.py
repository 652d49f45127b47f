"""The token-authenticated JSON API under ``/api/v1`` and the personal access tokens behind it."""
