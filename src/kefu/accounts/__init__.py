"""Users, roles, API tokens and per-shop membership."""
