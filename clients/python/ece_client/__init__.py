"""A client library for accessing ECE — Elite Card Exchange"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
