"""Conversation and message vocabularies."""

from enum import StrEnum


class Status(StrEnum):
    NEW = "new"
    OPEN = "open"
    PENDING = "pending"
    SNOOZED = "snoozed"
    RESOLVED = "resolved"
    CLOSED = "closed"


# Statuses in which a conversation still needs the team.
ACTIVE_STATUSES = (Status.NEW, Status.OPEN, Status.PENDING, Status.SNOOZED)


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"
    NOTE = "note"


class DeliveryState(StrEnum):
    NONE = "none"  # inbound messages and notes are never delivered
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"
