"""Small shared types: clock, money, ids, text helpers."""
