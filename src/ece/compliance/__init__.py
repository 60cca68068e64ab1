"""Compliance: sanctions screening, risk scores with reasons, and the four-eyes review queue."""
