"""Macros: a shop's saved replies per intent and language, checked when saved."""
