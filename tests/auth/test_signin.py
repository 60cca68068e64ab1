"""Sign-In With Solana end to end, with real ed25519 keypairs."""

from __future__ import annotations

from datetime import timedelta

import httpx
from solders.keypair import Keypair

from ece.core.clock import clock
from tests.builders import sign, sign_in


async def _challenge(client: httpx.AsyncClient, keypair: Keypair) -> str:
    response = await client.post("/api/v1/auth/challenge", json={"address": str(keypair.pubkey())})
    assert response.status_code == 200, response.text
    message: str = response.json()["message"]
    return message


async def _login(client: httpx.AsyncClient, message: str, signature: str) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/login", json={"message": message, "signature": signature}
    )


def _assert_invalid_signin(response: httpx.Response) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "invalid_signin"


async def test_challenge_message_follows_siws_layout(client: httpx.AsyncClient) -> None:
    keypair = Keypair()
    message = await _challenge(client, keypair)
    lines = message.split("\n")
    assert lines[0] == "127.0.0.1:8000 wants you to sign in with your Solana account:"
    assert lines[1] == str(keypair.pubkey())
    fields = dict(line.split(": ", 1) for line in lines[5:])
    assert fields["URI"] == "http://127.0.0.1:8000"
    assert fields["Version"] == "1"
    assert fields["Chain ID"] == "localnet"
    assert len(fields["Nonce"]) >= 16
    assert fields["Issued At"].endswith("Z") and fields["Expiration Time"].endswith("Z")


async def test_sign_in_opens_a_session_that_works(client: httpx.AsyncClient) -> None:
    keypair = Keypair()
    message = await _challenge(client, keypair)
    response = await _login(client, message, sign(keypair, message))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["user"]["address"] == str(keypair.pubkey())
    assert body["user"]["roles"] == ["user"]
    cookie = response.headers["set-cookie"]
    assert "ece_session=" in cookie
    assert "HttpOnly" in cookie
    assert "samesite=lax" in cookie.lower()
    me = await client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.status_code == 200
    assert me.json()["address"] == str(keypair.pubkey())


async def test_replayed_message_is_refused(client: httpx.AsyncClient) -> None:
    keypair = Keypair()
    message = await _challenge(client, keypair)
    signature = sign(keypair, message)
    assert (await _login(client, message, signature)).status_code == 200
    _assert_invalid_signin(await _login(client, message, signature))


async def test_wrong_domain_is_refused_and_burns_the_nonce(client: httpx.AsyncClient) -> None:
    keypair = Keypair()
    message = await _challenge(client, keypair)
    forged = message.replace("127.0.0.1:8000 wants", "evil.example wants", 1)
    _assert_invalid_signin(await _login(client, forged, sign(keypair, forged)))
    # The genuine message cannot be used after a failed attempt with its nonce.
    _assert_invalid_signin(await _login(client, message, sign(keypair, message)))


async def test_expired_nonce_is_refused(client: httpx.AsyncClient) -> None:
    keypair = Keypair()
    message = await _challenge(client, keypair)
    clock.advance(timedelta(minutes=5, seconds=1))
    _assert_invalid_signin(await _login(client, message, sign(keypair, message)))


async def test_signature_by_another_key_is_refused(client: httpx.AsyncClient) -> None:
    keypair = Keypair()
    message = await _challenge(client, keypair)
    _assert_invalid_signin(await _login(client, message, sign(Keypair(), message)))


async def test_edited_message_with_valid_signature_is_refused(client: httpx.AsyncClient) -> None:
    keypair = Keypair()
    message = await _challenge(client, keypair)
    edited = message.replace("Sign in to ECE", "Sign in to ECE now", 1)
    _assert_invalid_signin(await _login(client, edited, sign(keypair, edited)))


async def test_garbage_is_refused_without_server_error(client: httpx.AsyncClient) -> None:
    keypair = Keypair()
    message = await _challenge(client, keypair)
    for signature in ["not-base58-0OIl", "1", "z" * 128]:
        response = await _login(client, message, signature)
        assert response.status_code in (401, 422), response.text
        assert response.headers["content-type"] == "application/problem+json"
    for bad_message in ["", "hello", "\n" * 10, "x" * 1999]:
        response = await _login(client, bad_message, "3" * 88)
        assert response.status_code in (401, 422), response.text
    bad_address = await client.post("/api/v1/auth/challenge", json={"address": "0OIl"})
    assert bad_address.status_code == 422
    assert bad_address.json()["code"] == "invalid_address"
    wrong_type = await client.post("/api/v1/auth/challenge", json={"address": 12})
    assert wrong_type.status_code == 422
    assert wrong_type.json()["code"] == "validation_error"
    assert wrong_type.json()["invalid_params"][0]["name"] == "address"


async def test_logout_revokes_the_token_at_once(client: httpx.AsyncClient) -> None:
    user = await sign_in(client)
    assert (await client.get("/api/v1/users/me", headers=user.headers)).status_code == 200
    out = await client.post("/api/v1/auth/logout", headers=user.headers)
    assert out.status_code == 204
    after = await client.get("/api/v1/users/me", headers=user.headers)
    assert after.status_code == 401
    assert after.json()["code"] == "invalid_token"


async def test_session_expires(client: httpx.AsyncClient) -> None:
    user = await sign_in(client)
    clock.advance(timedelta(days=8))
    response = await client.get("/api/v1/users/me", headers=user.headers)
    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"


async def test_cookie_session_needs_csrf_header_for_writes(client: httpx.AsyncClient) -> None:
    keypair = Keypair()
    message = await _challenge(client, keypair)
    assert (await _login(client, message, sign(keypair, message))).status_code == 200
    # The client now holds the session and CSRF cookies, as a browser would.
    assert (await client.get("/api/v1/users/me")).status_code == 200
    refused = await client.patch("/api/v1/users/me", json={"display_name": "Ada"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    csrf = client.cookies["ece_csrf"]
    accepted = await client.patch(
        "/api/v1/users/me", json={"display_name": "Ada"}, headers={"X-CSRF-Token": csrf}
    )
    assert accepted.status_code == 200
    assert accepted.json()["display_name"] == "Ada"
