"""Collector tools: a user's portfolio with cost basis and P&L, its exports, watchlists and
price alerts."""
