"""Emergency controls: pausing a part of the platform (trading, deposits, withdrawals, ...)."""
