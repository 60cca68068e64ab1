"""The app's own embedded chain served over real HTTP, and solana-py's AsyncClient on it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from solana.rpc.async_api import AsyncClient

from tests.chain.chain_builders import serve_chain


@pytest.fixture
async def rpc(app: FastAPI) -> AsyncIterator[AsyncClient]:
    # The same LiteSvmChain object the app uses (thread-safe), behind the real /rpc router.
    with serve_chain(app.state.services.chain) as served:
        client = AsyncClient(served.url)
        try:
            yield client
        finally:
            await client.close()
