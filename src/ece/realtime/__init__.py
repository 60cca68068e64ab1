"""Live events to clients: the fan-out hub (in-process or Redis pub/sub) and the WebSocket."""
