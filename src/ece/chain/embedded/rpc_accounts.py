"""JSON-RPC methods that read accounts: balances, account data, token accounts and supplies."""

from __future__ import annotations

from collections.abc import Callable

from solders.account import Account
from solders.pubkey import Pubkey

from ece.chain.embedded.litesvm import LiteSvmChain
from ece.chain.embedded.rpc_amounts import ui_token_amount
from ece.chain.embedded.rpc_encoding import EncodingError, Json, ui_account
from ece.chain.embedded.rpc_errors import INVALID_PARAMS, INVALID_REQUEST, RpcError
from ece.chain.embedded.rpc_filters import account_filters, matches_filters
from ece.chain.embedded.rpc_params import Handler, options, param, pubkey_param, with_context
from ece.chain.tokens import spl

MAX_MULTIPLE_ACCOUNTS = 100
LARGEST_TOKEN_ACCOUNTS = 20
ACCOUNT_ENCODINGS = ("binary", "base58", "base64", "base64+zstd", "jsonParsed")


async def _get_balance(chain: LiteSvmChain, params: list[Json]) -> Json:
    account = chain.account(pubkey_param(param(params, 0)))
    return with_context(chain, 0 if account is None else account.lamports)


def _render_account(chain: LiteSvmChain, address: Pubkey, config: dict[str, Json]) -> Json:
    account = chain.account(address)
    if account is None:
        return None
    try:
        return ui_account(
            chain, account, config.get("encoding") or "binary", config.get("dataSlice")
        )
    except EncodingError as exc:
        raise RpcError(INVALID_REQUEST, str(exc)) from exc


async def _get_account_info(chain: LiteSvmChain, params: list[Json]) -> Json:
    address = pubkey_param(param(params, 0))
    return with_context(chain, _render_account(chain, address, options(params, 1)))


async def _get_multiple_accounts(chain: LiteSvmChain, params: list[Json]) -> Json:
    addresses = param(params, 0)
    if not isinstance(addresses, list) or len(addresses) > MAX_MULTIPLE_ACCOUNTS:
        raise RpcError(INVALID_PARAMS, f"Invalid params: up to {MAX_MULTIPLE_ACCOUNTS} keys")
    config = options(params, 1)
    keys = [pubkey_param(address) for address in addresses]
    return with_context(chain, [_render_account(chain, key, config) for key in keys])


async def _get_token_account_balance(chain: LiteSvmChain, params: list[Json]) -> Json:
    address = pubkey_param(param(params, 0))
    account = chain.account(address)
    if account is None:
        raise RpcError(INVALID_PARAMS, "Invalid param: could not find account")
    if not spl.is_token_account(bytes(account.data), account.owner):
        raise RpcError(INVALID_PARAMS, "Invalid param: not a Token account")
    state = spl.decode_token_account(bytes(account.data))
    return with_context(chain, ui_token_amount(state.amount, chain.mint_decimals(state.mint) or 0))


async def _get_token_supply(chain: LiteSvmChain, params: list[Json]) -> Json:
    account = chain.account(pubkey_param(param(params, 0)))
    if account is None:
        raise RpcError(INVALID_PARAMS, "Invalid param: could not find account")
    if not spl.is_mint(bytes(account.data), account.owner):
        raise RpcError(INVALID_PARAMS, "Invalid param: not a Token mint")
    mint = spl.decode_mint(bytes(account.data))
    return with_context(chain, ui_token_amount(mint.supply, mint.decimals))


def _token_program_selector(chain: LiteSvmChain, selector: Json) -> tuple[Pubkey, Pubkey | None]:
    """The token program and mint of a `{mint}` or `{programId}` selector."""
    if not isinstance(selector, dict) or len(selector) != 1:
        raise RpcError(INVALID_PARAMS, "Invalid params: expected {mint} or {programId} filter")
    if "mint" in selector:
        mint = pubkey_param(selector["mint"])
        mint_account = chain.account(mint)
        if mint_account is None or mint_account.owner not in spl.TOKEN_PROGRAMS:
            raise RpcError(INVALID_PARAMS, "Invalid param: could not find mint")
        return mint_account.owner, mint
    if "programId" in selector:
        program = pubkey_param(selector["programId"])
        if program not in spl.TOKEN_PROGRAMS:
            raise RpcError(INVALID_PARAMS, "Invalid param: unrecognized Token program id")
        return program, None
    raise RpcError(INVALID_PARAMS, "Invalid params: expected {mint} or {programId} filter")


def _token_accounts(
    chain: LiteSvmChain,
    params: list[Json],
    matches: Callable[[spl.TokenAccountState, Pubkey], bool],
) -> Json:
    key = pubkey_param(param(params, 0))
    program, mint = _token_program_selector(chain, param(params, 1))
    config = options(params, 2)
    encoding = _account_encoding(config)
    found: list[Json] = []
    for address, account in sorted(chain.accounts_owned_by(program), key=lambda a: str(a[0])):
        data = bytes(account.data)
        if account.lamports == 0 or not spl.is_token_account(data, program):
            continue
        state = spl.decode_token_account(data)
        if matches(state, key) and (mint is None or state.mint == mint):
            rendered = _ui(chain, account, encoding, config.get("dataSlice"))
            found.append({"account": rendered, "pubkey": str(address)})
    return with_context(chain, found)


async def _get_token_accounts_by_owner(chain: LiteSvmChain, params: list[Json]) -> Json:
    return _token_accounts(chain, params, lambda state, owner: state.owner == owner)


async def _get_token_accounts_by_delegate(chain: LiteSvmChain, params: list[Json]) -> Json:
    return _token_accounts(chain, params, lambda state, delegate: state.delegate == delegate)


async def _get_token_largest_accounts(chain: LiteSvmChain, params: list[Json]) -> Json:
    mint = pubkey_param(param(params, 0))
    mint_account = chain.account(mint)
    if mint_account is None or not spl.is_mint(bytes(mint_account.data), mint_account.owner):
        raise RpcError(INVALID_PARAMS, "Invalid param: not a Token mint")
    decimals = spl.decode_mint(bytes(mint_account.data)).decimals
    holdings: list[tuple[int, str]] = []
    for address, account in chain.accounts_owned_by(mint_account.owner):
        data = bytes(account.data)
        if account.lamports and spl.is_token_account(data, mint_account.owner):
            state = spl.decode_token_account(data)
            if state.mint == mint:
                holdings.append((state.amount, str(address)))
    holdings.sort(key=lambda item: (-item[0], item[1]))
    value = [
        {"address": address, **ui_token_amount(amount, decimals)}
        for amount, address in holdings[:LARGEST_TOKEN_ACCOUNTS]
    ]
    return with_context(chain, value)


async def _get_program_accounts(chain: LiteSvmChain, params: list[Json]) -> Json:
    program = pubkey_param(param(params, 0))
    config = options(params, 1)
    encoding = _account_encoding(config)
    filters = account_filters(config.get("filters"))
    found: list[Json] = []
    for address, account in sorted(chain.accounts_owned_by(program), key=lambda a: str(a[0])):
        if account.lamports == 0 or not matches_filters(bytes(account.data), filters):
            continue
        rendered = _ui(chain, account, encoding, config.get("dataSlice"))
        found.append({"account": rendered, "pubkey": str(address)})
    return with_context(chain, found) if config.get("withContext") else found


def _account_encoding(config: dict[str, Json]) -> str:
    encoding = config.get("encoding") or "binary"
    if encoding not in ACCOUNT_ENCODINGS:
        raise RpcError(INVALID_PARAMS, f"Invalid params: unknown encoding {encoding!r}")
    return str(encoding)


def _ui(chain: LiteSvmChain, account: Account, encoding: str, data_slice: Json) -> Json:
    try:
        return ui_account(chain, account, encoding, data_slice)
    except EncodingError as exc:
        raise RpcError(INVALID_REQUEST, str(exc)) from exc


METHODS: dict[str, Handler] = {
    "getAccountInfo": _get_account_info,
    "getBalance": _get_balance,
    "getMultipleAccounts": _get_multiple_accounts,
    "getProgramAccounts": _get_program_accounts,
    "getTokenAccountBalance": _get_token_account_balance,
    "getTokenAccountsByDelegate": _get_token_accounts_by_delegate,
    "getTokenLargestAccounts": _get_token_largest_accounts,
    "getTokenAccountsByOwner": _get_token_accounts_by_owner,
    "getTokenSupply": _get_token_supply,
}
