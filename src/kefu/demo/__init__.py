"""The demo shop: hand-written data (``data/``), a deterministic generator and its loader."""
