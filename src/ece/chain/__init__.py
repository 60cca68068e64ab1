"""The chain layer: Solana access behind one `Chain` protocol, embedded LiteSVM or a real RPC.

Layout, by role:

- `protocol`    the `Chain` protocol, its value types and `ChainError`s: what the app needs from
                Solana, whichever runtime answers.
- `setup`       which chain and platform wallets the settings name (`build_chain`,
                `build_platform`, `prepare_chain`).
- `platform`    the platform's keys (custody, mint authority, mints), `send_instructions`, and
                the embedded chain's first set-up.
- `pins`, `models`  the addresses ``ece init`` pinned in the database (`platform_pins`).
- `wallets`     which addresses can be a person's wallet (pure).
- `b58`         base58 for arbitrary bytes (solders covers only keys, hashes and signatures).
- `tokens/`     transaction builders and account decoders: `spl` (SPL Token and Token-2022
                coins, associated accounts), `nft` (a card as a supply-1 Token-2022 mint),
                `nft_decoder` (reading a card mint back).
- `rpc_client`  `RpcChain`: the protocol over a real Solana JSON-RPC node.
- `embedded/`   `LiteSvmChain`, the in-process chain for development and tests: `litesvm` (the
                node: clock, blockhash window, replay protection, the protocol), `blockhashes`,
                `execution`, `transactions`, `store` (its SQLite file), `lock` (one process per
                chain), and the Solana JSON-RPC endpoint it serves at ``POST /rpc``: `router`,
                `jsonrpc` (dispatch), `rpc_cluster` / `rpc_accounts` / `rpc_transactions`
                (methods), `rpc_params`, `rpc_errors`, `rpc_encoding`.

Other packages import `protocol`, `setup`, `platform`, `pins`, `wallets`, `b58` and `tokens`;
`embedded` and `rpc_client` are reached through `setup` (entry points alone may import
`embedded.router` and `embedded.lock`).
"""
