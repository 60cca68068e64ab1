"""getTransaction with `jsonParsed` parses System, SPL Token, Associated Token Account, Memo and
Compute Budget instructions, and every transaction records its inner instructions (the calls
its programs made): read through solana-py, which parses them with solders' types."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from solana.rpc.async_api import AsyncClient
from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.message import MessageV0
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.system_program import TransferParams, transfer
from solders.transaction import VersionedTransaction

from ece.chain.tokens import spl
from tests.chain.chain_builders import ServedChain, make_chain, make_token_setup, serve_chain

MEMO = Pubkey.from_string("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr")
COMPUTE_BUDGET = Pubkey.from_string("ComputeBudget111111111111111111111111111111")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[ServedChain]:
    with serve_chain(make_chain(tmp_path), tmp_path) as served_chain:
        yield served_chain


def parsed_transaction(url: str, signature: Signature) -> dict[str, Any]:
    body = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "getTransaction",
        "params": [str(signature), {"encoding": "jsonParsed", "maxSupportedTransactionVersion": 0}],
    }
    result: dict[str, Any] = httpx.post(url, json=body).json()["result"]
    return result


async def test_token_setup_parses_with_its_inner_instructions(served: ServedChain) -> None:
    setup = await make_token_setup(served.chain, alice_amount=1_500_000)
    [info] = served.chain.signature_infos(setup.mint, limit=1)
    answer = parsed_transaction(served.url, info.signature)
    instructions = answer["transaction"]["message"]["instructions"]
    kinds = [(ix.get("program"), ix.get("parsed", {}).get("type")) for ix in instructions]
    assert kinds == [
        ("system", "createAccount"),
        ("spl-token", "initializeMint2"),
        ("spl-associated-token-account", "createIdempotent"),
        ("spl-associated-token-account", "createIdempotent"),
        ("spl-token", "mintTo"),
    ]
    create = instructions[0]["parsed"]["info"]
    assert create["newAccount"] == str(setup.mint) and create["space"] == spl.MINT_LEN
    assert create["owner"] == str(spl.TOKEN_PROGRAM_ID)
    mint_init = instructions[1]["parsed"]["info"]
    assert mint_init == {
        "decimals": 6,
        "mint": str(setup.mint),
        "mintAuthority": str(setup.authority.pubkey()),
    }
    ata = instructions[2]["parsed"]["info"]
    assert ata["account"] == str(setup.alice_ata) and ata["wallet"] == str(setup.alice.pubkey())
    assert instructions[4]["parsed"]["info"] == {
        "account": str(setup.alice_ata),
        "amount": "1500000",
        "mint": str(setup.mint),
        "mintAuthority": str(setup.authority.pubkey()),
    }
    # The associated token program's calls: sized, created, made immutable, initialized.
    inner = {group["index"]: group["instructions"] for group in answer["meta"]["innerInstructions"]}
    assert set(inner) == {2, 3}
    assert [ix["parsed"]["type"] for ix in inner[2]] == [
        "getAccountDataSize",
        "createAccount",
        "initializeImmutableOwner",
        "initializeAccount3",
    ]
    assert all(ix["stackHeight"] == 2 for ix in inner[2])
    assert inner[2][3]["parsed"]["info"]["owner"] == str(setup.alice.pubkey())

    # solders reads both encodings; `json` gives the same calls by index.
    client = AsyncClient(served.url)
    parsed = await client.get_transaction(
        info.signature, "jsonParsed", max_supported_transaction_version=0
    )
    assert parsed.value is not None
    raw = await client.get_transaction(info.signature, "json", max_supported_transaction_version=0)
    assert raw.value is not None and raw.value.transaction.meta is not None
    raw_inner = raw.value.transaction.meta.inner_instructions
    assert raw_inner is not None and [group.index for group in raw_inner] == [2, 3]
    assert len(raw_inner[0].instructions) == 4


async def test_transfer_memo_and_compute_budget_parse(served: ServedChain) -> None:
    setup = await make_token_setup(served.chain)
    instructions = [
        Instruction(COMPUTE_BUDGET, bytes([2]) + (200_000).to_bytes(4, "little"), []),
        Instruction(COMPUTE_BUDGET, bytes([3]) + (1_000).to_bytes(8, "little"), []),
        spl.transfer_checked(
            source=setup.alice_ata,
            mint=setup.mint,
            destination=setup.bob_ata,
            owner=setup.alice.pubkey(),
            amount=1_250_000,
            decimals=setup.decimals,
            token_program=setup.program,
        ),
        transfer(
            TransferParams(
                from_pubkey=setup.alice.pubkey(), to_pubkey=setup.bob.pubkey(), lamports=7
            )
        ),
        Instruction(MEMO, "card #7 🎴".encode(), []),
    ]
    latest = served.chain.latest_blockhash()
    message = MessageV0.try_compile(setup.alice.pubkey(), instructions, [], latest.blockhash)
    landed = served.chain.submit(VersionedTransaction(message, [setup.alice]))
    answer = parsed_transaction(served.url, landed.signature)
    rendered = answer["transaction"]["message"]["instructions"]
    assert rendered[0]["parsed"] == {"type": "setComputeUnitLimit", "info": {"units": 200_000}}
    assert rendered[1]["parsed"] == {
        "type": "setComputeUnitPrice",
        "info": {"microLamports": 1_000},
    }
    checked = rendered[2]["parsed"]
    assert checked["type"] == "transferChecked"
    assert checked["info"]["tokenAmount"]["uiAmountString"] == "1.25"
    assert checked["info"]["authority"] == str(setup.alice.pubkey())
    assert rendered[3]["parsed"]["info"] == {
        "destination": str(setup.bob.pubkey()),
        "lamports": 7,
        "source": str(setup.alice.pubkey()),
    }
    assert rendered[4] == {
        "parsed": "card #7 🎴",
        "program": "spl-memo",
        "programId": str(MEMO),
        "stackHeight": None,
    }
    assert answer["meta"]["innerInstructions"] == []


def test_an_unknown_instruction_stays_partially_decoded() -> None:
    from ece.chain.embedded.rpc_encoding import parsed_instruction

    program, account = Keypair().pubkey(), Keypair().pubkey()
    assert parsed_instruction(program, [account], b"\x01\x02", 2) == {
        "accounts": [str(account)],
        "data": "5T",
        "programId": str(program),
        "stackHeight": 2,
    }
    # A token instruction too short for its type is not guessed at.
    short = parsed_instruction(spl.TOKEN_PROGRAM_ID, [account], b"\x03\x01", None)
    assert "parsed" not in short and short["programId"] == str(spl.TOKEN_PROGRAM_ID)
