"""Personal data: a user's export of everything ECE holds about them, and erasure."""
