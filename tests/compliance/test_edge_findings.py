"""The outside tester's low findings on compliance's edge, each fixed: list limits past 200 are
refused (not cut), one problem for any bad deny-list address (padded ones included), a plain
date of birth, a clear answer to a body that is not JSON, unknown KYC fields refused, and a
KYC mask that shows no lengths."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from solders.keypair import Keypair

from tests.builders import sign_in
from tests.compliance.support import kyc_body, my_kyc, officer, submit


async def test_a_limit_past_200_is_refused_like_every_bounded_parameter(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    staff = await officer(client, app)
    for path in ("/api/v1/compliance/checks", "/api/v1/compliance/denylist", "/api/v1/listings"):
        too_many = await client.get(path, params={"limit": 201}, headers=staff.headers)
        assert too_many.status_code == 422, path
        assert too_many.json()["invalid_params"][0]["name"] == "limit"
        assert (await client.get(path, params={"limit": 200}, headers=staff.headers)).is_success
    zero = await client.get("/api/v1/listings", params={"limit": 0})
    assert zero.status_code == 422


async def test_every_bad_deny_list_address_is_one_problem(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    staff = await officer(client, app)
    good = str(Keypair().pubkey())
    for address in (
        f" {good}",
        f"{good} ",
        f"\t{good}",
        "",
        "x" * 65,
        "not-base58-0OIl",
        good[:20],
    ):
        response = await client.post(
            "/api/v1/compliance/denylist",
            json={"address": address, "reason": "OFAC SDN"},
            headers=staff.headers,
        )
        assert (response.status_code, response.json()["code"]) == (422, "invalid_address"), address
    listed = await client.get("/api/v1/compliance/denylist", headers=staff.headers)
    assert listed.json()["items"] == []  # nothing was listed, trimmed or not


async def test_date_of_birth_is_a_plain_date(client: httpx.AsyncClient) -> None:
    user = await sign_in(client)
    for value in ("1987-04-12T00:00:00", "1987-04-12T00:00:00Z", 545184000, "19870412"):
        response = await submit(client, user, date_of_birth=value)
        assert response.status_code == 422, value
        assert response.json()["invalid_params"][0]["name"] == "date_of_birth"
    assert (await my_kyc(client, user))["status"] == "none"
    assert (await submit(client, user, date_of_birth="1987-04-12")).status_code == 202


async def test_a_body_that_is_not_json_gets_a_clear_answer(client: httpx.AsyncClient) -> None:
    user = await sign_in(client)
    response = await client.post(
        "/api/v1/users/me/kyc",
        content=b"level=basic&full_name=Jo",
        headers={**user.headers, "content-type": "application/json"},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "The request body is not valid JSON."
    assert body["invalid_params"] == [{"name": "body", "reason": "not valid JSON"}]


async def test_unknown_kyc_fields_are_refused(client: httpx.AsyncClient) -> None:
    user = await sign_in(client)
    response = await client.post(
        "/api/v1/users/me/kyc",
        json={**kyc_body(), "nationality": "DE"},
        headers=user.headers,
    )
    assert response.status_code == 422
    assert response.json()["invalid_params"][0]["name"] == "nationality"
    assert (await my_kyc(client, user))["status"] == "none"


async def test_the_masked_view_shows_no_lengths(client: httpx.AsyncClient) -> None:
    short, long = await sign_in(client), await sign_in(client)
    await submit(client, short, "full", full_name="Jo Do", document_number="AB1234")
    await submit(
        client,
        long,
        "full",
        full_name="Johanna Maria Doevenbrink",
        document_number="XK4471903QZ7781234",
    )
    masked = [(await my_kyc(client, u))["personal_data"] for u in (short, long)]
    assert [m["full_name"] for m in masked] == ["J*** D***", "J*** D***"]
    assert [m["document_number"] for m in masked] == ["****34", "****34"]
    assert [m["date_of_birth"] for m in masked] == ["****-**-**", "****-**-**"]
