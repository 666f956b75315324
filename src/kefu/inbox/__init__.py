"""Use cases that span domains: ingest, reply, routing."""
