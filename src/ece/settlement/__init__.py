"""Settlement: how sales and swaps pay (fee and royalty split, legs, fee accounts)."""
