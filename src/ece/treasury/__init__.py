"""Treasury: weekly company payouts in USDC, screened, approved by an M-of-N SPL multisig."""
