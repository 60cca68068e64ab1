"""Token transaction builders and account decoders: `spl` (coins, associated token accounts) and
`nft` (card NFTs as Token-2022 mints) with `nft_decoder`."""
