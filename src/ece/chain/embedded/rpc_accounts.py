"""JSON-RPC methods that read accounts: balances, account data, token accounts and supplies."""

from __future__ import annotations

from solders.pubkey import Pubkey

from ece.chain.embedded.litesvm import LiteSvmChain
from ece.chain.embedded.rpc_encoding import EncodingError, Json, ui_account, ui_token_amount
from ece.chain.embedded.rpc_errors import INVALID_PARAMS, INVALID_REQUEST, RpcError
from ece.chain.embedded.rpc_params import Handler, options, param, pubkey_param, with_context
from ece.chain.tokens import spl

MAX_MULTIPLE_ACCOUNTS = 100


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


async def _get_token_accounts_by_owner(chain: LiteSvmChain, params: list[Json]) -> Json:
    owner = pubkey_param(param(params, 0))
    selector = param(params, 1)
    config = options(params, 2)
    if not isinstance(selector, dict) or len(selector) != 1:
        raise RpcError(INVALID_PARAMS, "Invalid params: expected {mint} or {programId} filter")
    mint: Pubkey | None = None
    if "mint" in selector:
        mint = pubkey_param(selector["mint"])
        mint_account = chain.account(mint)
        if mint_account is None or mint_account.owner not in spl.TOKEN_PROGRAMS:
            raise RpcError(INVALID_PARAMS, "Invalid param: could not find mint")
        program = mint_account.owner
    elif "programId" in selector:
        program = pubkey_param(selector["programId"])
        if program not in spl.TOKEN_PROGRAMS:
            raise RpcError(INVALID_PARAMS, "Invalid param: unrecognized Token program id")
    else:
        raise RpcError(INVALID_PARAMS, "Invalid params: expected {mint} or {programId} filter")
    matches: list[Json] = [
        {
            "account": ui_account(chain, account, config.get("encoding") or "binary"),
            "pubkey": str(address),
        }
        for address, account, _ in chain.token_accounts(owner, program, mint=mint)
    ]
    return with_context(chain, matches)


METHODS: dict[str, Handler] = {
    "getAccountInfo": _get_account_info,
    "getBalance": _get_balance,
    "getMultipleAccounts": _get_multiple_accounts,
    "getTokenAccountBalance": _get_token_account_balance,
    "getTokenAccountsByOwner": _get_token_accounts_by_owner,
    "getTokenSupply": _get_token_supply,
}
