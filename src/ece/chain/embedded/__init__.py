"""The embedded chain (`LiteSvmChain`) and the Solana JSON-RPC endpoint it serves; see
`ece.chain` for the layout."""
