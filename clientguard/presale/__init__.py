"""Presale screening: brief completeness, red flags, a decision and a draft reply."""
