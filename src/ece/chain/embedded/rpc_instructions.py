"""`jsonParsed` instructions, as the validator's transaction-status parsers show them: System,
SPL Token and Token-2022, Associated Token Account, Memo and Compute Budget. An instruction of
another program, or one these parsers do not know, stays partially decoded (accounts and base58
data), as the validator leaves it.
"""

from __future__ import annotations

import struct
from typing import Any

from solders.pubkey import Pubkey
from solders.system_program import ID as SYSTEM_PROGRAM_ID

from ece.chain.embedded.execution import MEMO_PROGRAMS
from ece.chain.embedded.rpc_amounts import ui_token_amount
from ece.chain.tokens import spl

Json = Any
COMPUTE_BUDGET_PROGRAM_ID = Pubkey.from_string("ComputeBudget111111111111111111111111111111")


class _Unknown(Exception):
    """Not an instruction these parsers know: left partially decoded."""


def _u64(data: bytes, offset: int) -> int:
    if len(data) < offset + 8:
        raise _Unknown
    value: int = struct.unpack_from("<Q", data, offset)[0]
    return value


def _key(accounts: list[Pubkey], index: int) -> str:
    if index >= len(accounts):
        raise _Unknown
    return str(accounts[index])


def _system(data: bytes, accounts: list[Pubkey]) -> dict[str, Json]:
    if len(data) < 4:
        raise _Unknown
    kind = struct.unpack_from("<I", data, 0)[0]
    if kind == 0:  # CreateAccount: lamports u64, space u64, owner
        if len(data) < 52:
            raise _Unknown
        return {
            "type": "createAccount",
            "info": {
                "lamports": _u64(data, 4),
                "newAccount": _key(accounts, 1),
                "owner": str(Pubkey(data[20:52])),
                "source": _key(accounts, 0),
                "space": _u64(data, 12),
            },
        }
    if kind == 1:  # Assign
        if len(data) < 36:
            raise _Unknown
        return {
            "type": "assign",
            "info": {"account": _key(accounts, 0), "owner": str(Pubkey(data[4:36]))},
        }
    if kind == 2:  # Transfer
        return {
            "type": "transfer",
            "info": {
                "destination": _key(accounts, 1),
                "lamports": _u64(data, 4),
                "source": _key(accounts, 0),
            },
        }
    if kind == 4:  # AdvanceNonceAccount
        return {
            "type": "advanceNonce",
            "info": {
                "nonceAccount": _key(accounts, 0),
                "nonceAuthority": _key(accounts, 2),
                "recentBlockhashesSysvar": _key(accounts, 1),
            },
        }
    if kind == 8:  # Allocate
        return {"type": "allocate", "info": {"account": _key(accounts, 0), "space": _u64(data, 4)}}
    raise _Unknown


def _optional_key(data: bytes, offset: int) -> tuple[str | None, int]:
    """A COption<Pubkey> as instructions carry it: a tag byte, then the key when 1."""
    if len(data) <= offset:
        raise _Unknown
    if data[offset] == 0:
        return None, offset + 1
    if len(data) < offset + 33:
        raise _Unknown
    return str(Pubkey(data[offset + 1 : offset + 33])), offset + 33


def _amount_info(data: bytes, accounts: list[Pubkey], names: list[str]) -> dict[str, Json]:
    info: dict[str, Json] = {name: _key(accounts, i) for i, name in enumerate(names)}
    info["amount"] = str(_u64(data, 1))
    return info


def _checked_info(data: bytes, accounts: list[Pubkey], names: list[str]) -> dict[str, Json]:
    if len(data) < 10:
        raise _Unknown
    info: dict[str, Json] = {name: _key(accounts, i) for i, name in enumerate(names)}
    info["tokenAmount"] = ui_token_amount(_u64(data, 1), data[9])
    return info


def _token(data: bytes, accounts: list[Pubkey]) -> dict[str, Json]:
    if not data:
        raise _Unknown
    kind = data[0]
    if kind in (0, 20):  # InitializeMint(2): decimals, mint authority, freeze authority option
        if len(data) < 35:
            raise _Unknown
        freeze, _ = _optional_key(data, 34)
        info: dict[str, Json] = {
            "decimals": data[1],
            "mint": _key(accounts, 0),
            "mintAuthority": str(Pubkey(data[2:34])),
        }
        if freeze is not None:
            info["freezeAuthority"] = freeze
        if kind == 0:
            info["rentSysvar"] = _key(accounts, 1)
        return {"type": "initializeMint" if kind == 0 else "initializeMint2", "info": info}
    if kind == 1:
        return {
            "type": "initializeAccount",
            "info": {
                "account": _key(accounts, 0),
                "mint": _key(accounts, 1),
                "owner": _key(accounts, 2),
                "rentSysvar": _key(accounts, 3),
            },
        }
    if kind in (16, 18):  # InitializeAccount2/3: the owner in the data
        if len(data) < 33:
            raise _Unknown
        info = {
            "account": _key(accounts, 0),
            "mint": _key(accounts, 1),
            "owner": str(Pubkey(data[1:33])),
        }
        if kind == 16:
            info["rentSysvar"] = _key(accounts, 2)
        name = "initializeAccount2" if kind == 16 else "initializeAccount3"
        return {"type": name, "info": info}
    if kind == 3:
        names = ["source", "destination", "authority"]
        return {"type": "transfer", "info": _amount_info(data, accounts, names)}
    if kind == 4:
        names = ["source", "delegate", "owner"]
        return {"type": "approve", "info": _amount_info(data, accounts, names)}
    if kind == 5:
        return {"type": "revoke", "info": {"owner": _key(accounts, 1), "source": _key(accounts, 0)}}
    if kind == 7:
        names = ["mint", "account", "mintAuthority"]
        return {"type": "mintTo", "info": _amount_info(data, accounts, names)}
    if kind == 8:
        names = ["account", "mint", "authority"]
        return {"type": "burn", "info": _amount_info(data, accounts, names)}
    if kind == 9:
        return {
            "type": "closeAccount",
            "info": {
                "account": _key(accounts, 0),
                "destination": _key(accounts, 1),
                "owner": _key(accounts, 2),
            },
        }
    if kind == 12:
        names = ["source", "mint", "destination", "authority"]
        return {"type": "transferChecked", "info": _checked_info(data, accounts, names)}
    if kind == 13:
        names = ["source", "mint", "delegate", "owner"]
        return {"type": "approveChecked", "info": _checked_info(data, accounts, names)}
    if kind == 14:
        names = ["mint", "account", "mintAuthority"]
        return {"type": "mintToChecked", "info": _checked_info(data, accounts, names)}
    if kind == 15:
        names = ["account", "mint", "authority"]
        return {"type": "burnChecked", "info": _checked_info(data, accounts, names)}
    if kind == 21:
        return {"type": "getAccountDataSize", "info": {"mint": _key(accounts, 0)}}
    if kind == 22:
        return {"type": "initializeImmutableOwner", "info": {"account": _key(accounts, 0)}}
    raise _Unknown


def _associated_token(data: bytes, accounts: list[Pubkey]) -> dict[str, Json]:
    if data not in (b"", b"\x00", b"\x01"):
        raise _Unknown
    info = {
        "account": _key(accounts, 1),
        "mint": _key(accounts, 3),
        "source": _key(accounts, 0),
        "systemProgram": _key(accounts, 4),
        "tokenProgram": _key(accounts, 5),
        "wallet": _key(accounts, 2),
    }
    return {"type": "createIdempotent" if data == b"\x01" else "create", "info": info}


def _compute_budget(data: bytes) -> dict[str, Json]:
    if not data:
        raise _Unknown
    if data[0] == 1 and len(data) >= 5:
        return {"type": "requestHeapFrame", "info": {"bytes": struct.unpack_from("<I", data, 1)[0]}}
    if data[0] == 2 and len(data) >= 5:
        units = struct.unpack_from("<I", data, 1)[0]
        return {"type": "setComputeUnitLimit", "info": {"units": units}}
    if data[0] == 3:
        return {"type": "setComputeUnitPrice", "info": {"microLamports": _u64(data, 1)}}
    raise _Unknown


def parse_instruction(
    program_id: Pubkey,
    accounts: list[Pubkey],
    data: bytes,
) -> tuple[str, Json] | None:
    """(program name, parsed) for a known instruction, None otherwise."""
    try:
        if program_id == SYSTEM_PROGRAM_ID:
            return "system", _system(data, accounts)
        if program_id == spl.TOKEN_PROGRAM_ID:
            return "spl-token", _token(data, accounts)
        if program_id == spl.TOKEN_2022_PROGRAM_ID:
            return "spl-token-2022", _token(data, accounts)
        if program_id == spl.ASSOCIATED_TOKEN_PROGRAM_ID:
            return "spl-associated-token-account", _associated_token(data, accounts)
        if program_id in MEMO_PROGRAMS:
            try:
                return "spl-memo", data.decode("utf-8")
            except UnicodeDecodeError:
                return None
        if program_id == COMPUTE_BUDGET_PROGRAM_ID:
            return "compute-budget", _compute_budget(data)
    except (_Unknown, ValueError, struct.error):
        return None
    return None
