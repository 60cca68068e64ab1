"""The IPFS path gateway for card content: content types, caching, errors."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from ece.cards.blockstore import cid_for
from ece.cards.deps import blockstore_for


async def test_serves_blocks_by_cid_with_immutable_caching(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    store = blockstore_for(app.state.services.settings)
    document = b'{"name":"Acme"}'
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"/>'
    json_cid, svg_cid = await store.put(document), await store.put(svg)

    response = await client.get(f"/ipfs/{json_cid}")
    assert response.status_code == 200
    assert response.content == document
    assert cid_for(response.content) == json_cid
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["etag"] == f'"{json_cid}"'

    image = await client.get(f"/ipfs/{svg_cid}")
    assert image.headers["content-type"] == "image/svg+xml"
    assert "sandbox" in image.headers["content-security-policy"]

    again = await client.get(f"/ipfs/{json_cid}", headers={"If-None-Match": f'"{json_cid}"'})
    assert again.status_code == 304
    assert again.content == b""


async def test_unknown_cid_is_404_and_malformed_is_400(client: httpx.AsyncClient) -> None:
    unknown = await client.get(f"/ipfs/{cid_for(b'never stored')}")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    assert unknown.json()["code"] == "block_not_found"
    for bad in ["not-a-cid", "bafy", "Qm123"]:
        malformed = await client.get(f"/ipfs/{bad}")
        assert malformed.status_code == 400, bad
        assert malformed.json()["code"] == "invalid_cid"


async def test_unknown_card_image_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/api/v1/cards/{'0' * 32}/image.svg")
    assert response.status_code == 404
    assert response.json()["code"] == "card_not_found"
