"""Orders, items, shipments and tracking events; import from CSV/JSONL."""
