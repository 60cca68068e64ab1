"""In-app notifications (and the email and live channels) derived from outbox events."""
