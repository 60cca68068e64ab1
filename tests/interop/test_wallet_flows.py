"""A wallet's flows through Node with unmodified @solana/wallet-standard-util and @solana/pay,
against the whole app served over HTTPS (Solana Pay links are HTTPS by the spec): sign in with a
SolanaSignInOutput that `verifySignIn` accepts for our SolanaSignInInput, then pay a deposit
through its transaction request (`parseURL`, `fetchTransaction`) and find it back
(`findReference`, `validateTransfer`); the deposit watcher credits it."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ece.app import create_app
from ece.config import Settings
from tests.interop.test_js_clients import JS_DIR, NODE, run_node

pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, for this test's server and clients only."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class _Server(uvicorn.Server):
    def install_signal_handlers(self) -> None:
        pass  # runs in a thread: the test process keeps its own signal handling


@dataclass
class HttpsServer:
    base_url: str
    cert: Path


@pytest.fixture
def https_server(settings: Settings, tmp_path: Path) -> Iterator[HttpsServer]:
    """The whole app with its workers (the watcher credits deposits) over HTTPS on a free port,
    ``ECE_DOMAIN`` its host:port, so sign-in and Solana Pay links name this very server."""
    cert, key = self_signed(tmp_path)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    served = settings.model_copy(update={"domain": f"127.0.0.1:{port}", "run_workers": True})
    config = uvicorn.Config(
        create_app(served),
        log_level="warning",
        lifespan="on",
        ssl_certfile=str(cert),
        ssl_keyfile=str(key),
    )
    server = _Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(600):
        if server.started or not thread.is_alive():
            break
        threading.Event().wait(0.05)
    assert server.started, "the server did not start"
    try:
        yield HttpsServer(f"https://127.0.0.1:{port}", cert)
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


def test_wallet_standard_sign_in_and_solana_pay_transaction_request(
    https_server: HttpsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert JS_DIR.is_dir()
    monkeypatch.setenv("NODE_EXTRA_CA_CERTS", str(https_server.cert))
    result = run_node("wallet_flows.mjs", https_server.base_url)

    # Signed in as the wallet that signed, with the output verifySignIn accepted.
    assert result["loggedIn"] == result["address"]
    # parseURL read our transaction request: its HTTPS link, label and message.
    assert result["link"].startswith(f"{https_server.base_url}/pay/deposits/")
    assert result["label"] == result["shownLabel"] == "ECE"
    assert result["message"] == f"Deposit 1.5 USDC to ECE ({result['depositId']})"
    assert result["shownIcon"] == f"{https_server.base_url}/static/icons/icon-192.png"
    assert result["transferAmount"] == "1.5"
    # The transaction fetchTransaction built from our link is the one the reference finds.
    assert result["foundSignature"] == result["signature"]

    headers = {"Authorization": f"Bearer {result['token']}"}
    with httpx.Client(
        base_url=https_server.base_url, verify=ssl.create_default_context(cafile=https_server.cert)
    ) as client:
        deadline = time.monotonic() + 60
        while True:
            deposit = client.get(f"/api/v1/deposits/{result['depositId']}", headers=headers).json()
            if deposit["status"] == "credited" or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert (deposit["status"], deposit["received_amount"]) == ("credited", "1.5")
        assert deposit["signature"] == result["signature"]
        balances = client.get("/api/v1/users/me/balances", headers=headers).json()["balances"]
        usdc = next(b for b in balances if b["asset"] == "USDC")
        assert usdc["available"] == "1.5"
        # The link is spent once the deposit is credited.
        closed = client.post(result["link"], json={"account": result["address"]})
        assert (closed.status_code, closed.json()["code"]) == (409, "deposit_closed")
