"""Database plumbing: declarative base, portable column types, engine and sessions, jobs table."""
