"""The composition root's types: ``Services`` (built once at start-up), the FastAPI dependency
getters that hand its parts to routes, the request's unit-of-work route and the job registry."""
