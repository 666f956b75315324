"""Conversations (the ticket), messages, statuses, assignment, tags, SLA clocks."""
