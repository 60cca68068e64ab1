"""Unmodified JavaScript wallet clients against the embedded chain, through Node: web3.js
`sendAndConfirmTransaction` (SOL, and SPL through @solana/spl-token's helpers) and @solana/kit's
`sendAndConfirmTransactionFactory` finish without hanging, and what they report is on the chain.
The packages are pinned by tests/interop/js/package-lock.json (`make install` runs `npm ci`)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from solders.pubkey import Pubkey
from solders.signature import Signature

from ece.chain.tokens import spl
from tests.chain.chain_builders import ServedChain, make_chain, serve_chain

JS_DIR = Path(__file__).parent / "js"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[ServedChain]:
    with serve_chain(make_chain(tmp_path), tmp_path) as served_chain:
        yield served_chain


def run_node(script: str, *args: str) -> dict[str, str]:
    assert NODE is not None
    assert (JS_DIR / "node_modules").is_dir(), "run `make install` (npm ci in tests/interop/js)"
    done = subprocess.run(
        [NODE, script, *args], cwd=JS_DIR, capture_output=True, text=True, timeout=150
    )
    assert done.returncode == 0, done.stderr[-4000:]
    result: dict[str, str] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_web3_and_kit_send_and_confirm(served: ServedChain) -> None:
    ws_url = served.url.replace("http://", "ws://")
    result = run_node("web3_flows.mjs", served.url, ws_url)
    chain = served.chain
    receiver = chain.account(Pubkey.from_string(result["receiver"]))
    assert receiver is not None and receiver.lamports == 5_000_000
    sol = chain.landed_transaction(Signature.from_string(result["solSignature"]))
    assert sol is not None and sol.err is None

    token_account = chain.account(Pubkey.from_string(result["receiverTokenAccount"]))
    assert token_account is not None
    state = spl.decode_token_account(bytes(token_account.data))
    assert state.amount == 250_000 and str(state.mint) == result["mint"]
    assert result["receiverTokens"] == "250000"
    spl_tx = chain.landed_transaction(Signature.from_string(result["splSignature"]))
    assert spl_tx is not None and spl_tx.err is None

    kit_receiver = chain.account(Pubkey.from_string(result["kitReceiver"]))
    assert kit_receiver is not None and kit_receiver.lamports == 3_000_000
    kit_tx = chain.landed_transaction(Signature.from_string(result["kitSignature"]))
    assert kit_tx is not None and kit_tx.err is None
