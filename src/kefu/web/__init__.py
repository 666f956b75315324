"""FastAPI app: REST API under /api/v1, server-rendered UI, static assets."""
