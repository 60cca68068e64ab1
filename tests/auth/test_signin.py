"""Sign-In With Solana end to end, with real ed25519 keypairs."""

from __future__ import annotations

import asyncio
import base64
from datetime import datetime, timedelta

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


async def test_a_refused_attempt_leaves_the_challenge_usable(client: httpx.AsyncClient) -> None:
    keypair = Keypair()
    message = await _challenge(client, keypair)
    forged = message.replace("127.0.0.1:8000 wants", "evil.example wants", 1)
    _assert_invalid_signin(await _login(client, forged, sign(keypair, forged)))
    _assert_invalid_signin(await _login(client, message, sign(Keypair(), message)))
    _assert_invalid_signin(await _login(client, message, "not-base58-0OIl"))
    # Nothing was refused after a valid signature: the genuine retry signs in, once.
    assert (await _login(client, message, sign(keypair, message))).status_code == 200
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


# --- Wallet Standard solana:signIn ----------------------------------------------------------------


async def _sign_in_input(client: httpx.AsyncClient, body: dict[str, str] | None) -> dict[str, str]:
    if body is None:
        response = await client.post("/api/v1/auth/challenge")
    else:
        response = await client.post("/api/v1/auth/challenge", json=body)
    assert response.status_code == 200, response.text
    assert ("message" in response.json()) == bool(body and body.get("address"))
    sign_in_input: dict[str, str] = response.json()["input"]
    assert sign_in_input["nonce"] == response.json()["nonce"]
    return sign_in_input


def _wallet_message(sign_in_input: dict[str, str], address: str, **extra: str) -> str:
    """The message a wallet writes from a sign-in input (its own account added)."""
    fields = {
        "URI": sign_in_input["uri"],
        "Version": sign_in_input["version"],
        "Chain ID": sign_in_input["chainId"],
        "Nonce": sign_in_input["nonce"],
        "Issued At": sign_in_input["issuedAt"],
        "Expiration Time": sign_in_input["expirationTime"],
        **extra,
    }
    lines = [f"{name}: {value}" for name, value in fields.items()]
    header = f"{sign_in_input['domain']} wants you to sign in with your Solana account:"
    return "\n".join([header, address, "", sign_in_input["statement"], "", *lines])


def _output(keypair: Keypair, message: str, **account: str) -> dict[str, object]:
    signed = message.encode()
    return {
        "account": {"address": str(keypair.pubkey()), **account},
        "signedMessage": base64.b64encode(signed).decode(),
        "signature": base64.b64encode(bytes(keypair.sign_message(signed))).decode(),
    }


async def _login_output(client: httpx.AsyncClient, output: dict[str, object]) -> httpx.Response:
    return await client.post("/api/v1/auth/login", json={"output": output})


async def test_challenge_without_address_is_a_sign_in_input(client: httpx.AsyncClient) -> None:
    for body in (None, {}):
        sign_in_input = await _sign_in_input(client, body)
        assert "address" not in sign_in_input
        assert sign_in_input["domain"] == "127.0.0.1:8000"
        assert sign_in_input["uri"] == "http://127.0.0.1:8000"
        assert sign_in_input["version"] == "1"
        assert sign_in_input["chainId"] == "localnet"
        assert sign_in_input["statement"] == "Sign in to ECE, the Elite Card Exchange."
        issued = datetime.fromisoformat(sign_in_input["issuedAt"])
        expires = datetime.fromisoformat(sign_in_input["expirationTime"])
        assert expires - issued == timedelta(minutes=5)


async def test_a_challenge_for_an_address_carries_the_same_input(
    client: httpx.AsyncClient,
) -> None:
    keypair = Keypair()
    response = await client.post("/api/v1/auth/challenge", json={"address": str(keypair.pubkey())})
    body = response.json()
    assert body["input"]["address"] == str(keypair.pubkey())
    assert _wallet_message(body["input"], str(keypair.pubkey())) == body["message"]


async def test_sign_in_output_opens_a_session(client: httpx.AsyncClient) -> None:
    keypair = Keypair()
    sign_in_input = await _sign_in_input(client, None)
    message = _wallet_message(sign_in_input, str(keypair.pubkey()))
    public_key = base64.b64encode(bytes(keypair.pubkey())).decode()
    response = await _login_output(client, _output(keypair, message, publicKey=public_key))
    assert response.status_code == 200, response.text
    assert response.json()["user"]["address"] == str(keypair.pubkey())
    _assert_invalid_signin(await _login_output(client, _output(keypair, message)))  # replay


async def test_a_wallet_may_add_fields_and_drop_milliseconds(client: httpx.AsyncClient) -> None:
    keypair = Keypair()
    sign_in_input = await _sign_in_input(client, None)
    issued = datetime.fromisoformat(sign_in_input["issuedAt"])
    sign_in_input["issuedAt"] = issued.strftime("%Y-%m-%dT%H:%M:%SZ")
    message = _wallet_message(sign_in_input, str(keypair.pubkey()), **{"Request ID": "r-1"})
    message += "\nResources:\n- http://127.0.0.1:8000/terms"
    response = await _login_output(client, _output(keypair, message))
    assert response.status_code == 200, response.text


async def test_sign_in_output_attacks_are_refused_without_burning_the_nonce(
    client: httpx.AsyncClient,
) -> None:
    keypair, other = Keypair(), Keypair()
    sign_in_input = await _sign_in_input(client, None)
    message = _wallet_message(sign_in_input, str(keypair.pubkey()))
    # Signed by another key than the message names.
    forged = _output(other, message)
    forged["account"] = {"address": str(keypair.pubkey())}
    _assert_invalid_signin(await _login_output(client, forged))
    # The output's account is not the one the message names.
    _assert_invalid_signin(await _login_output(client, _output(other, message)))
    # A field changed from the one issued (another nonce's statement, another chain).
    for edited in (
        message.replace("Chain ID: localnet", "Chain ID: mainnet"),
        message.replace(sign_in_input["issuedAt"], "2020-01-01T00:00:00.000Z"),
        message.replace("Nonce: ", "Nonce: x"),
    ):
        _assert_invalid_signin(await _login_output(client, _output(keypair, edited)))
    # Bytes that are not text, and the public key of another wallet: refused, nothing spent.
    garbage = _output(keypair, message)
    garbage["signedMessage"] = base64.b64encode(b"\xff\xfe").decode()
    _assert_invalid_signin(await _login_output(client, garbage))
    wrong_key = _output(
        keypair, message, publicKey=base64.b64encode(bytes(other.pubkey())).decode()
    )
    assert (await _login_output(client, wrong_key)).status_code == 422
    for bad in ({"signature": "***"}, {"signedMessage": "%%"}, {"account": {"address": 7}}):
        response = await _login_output(client, {**_output(keypair, message), **bad})
        assert response.status_code == 422, response.text
        assert response.json()["code"] == "validation_error"
    both = {"output": _output(keypair, message), "message": message, "signature": "1"}
    assert (await client.post("/api/v1/auth/login", json=both)).status_code == 422
    assert (await client.post("/api/v1/auth/login", json={})).status_code == 422
    # Every refusal came before a valid signature: the real output still signs in.
    response = await _login_output(client, _output(keypair, message))
    assert response.status_code == 200, response.text


async def test_an_address_bound_challenge_refuses_another_wallet(
    client: httpx.AsyncClient,
) -> None:
    keypair, other = Keypair(), Keypair()
    sign_in_input = await _sign_in_input(client, {"address": str(keypair.pubkey())})
    message = _wallet_message(sign_in_input, str(other.pubkey()))
    _assert_invalid_signin(await _login_output(client, _output(other, message)))


async def test_one_signed_challenge_opens_one_session_under_a_race(
    client: httpx.AsyncClient,
) -> None:
    keypair = Keypair()
    sign_in_input = await _sign_in_input(client, None)
    output = _output(keypair, _wallet_message(sign_in_input, str(keypair.pubkey())))
    answers = await asyncio.gather(*(_login_output(client, output) for _ in range(4)))
    assert sorted(a.status_code for a in answers) == [200, 401, 401, 401]
