"""Tenants: one shop per marketplace storefront."""
