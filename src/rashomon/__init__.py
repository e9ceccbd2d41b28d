"""Rashomon: one event, many accounts."""
