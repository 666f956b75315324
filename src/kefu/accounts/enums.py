"""Roles, in increasing authority."""

from enum import StrEnum


class Role(StrEnum):
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return ["agent", "supervisor", "admin"].index(self.value)
