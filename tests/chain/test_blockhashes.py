"""The embedded chain's blockhash window, without a chain: each blockhash issued stays valid for
`validity` blocks, and the window survives a restart through its JSON form."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from solders.hash import Hash

from ece.chain.embedded.blockhashes import BlockhashWindow


def blockhash(n: int) -> Hash:
    return Hash(n.to_bytes(32, "big"))


def test_a_blockhash_is_valid_for_validity_blocks_after_it_was_issued() -> None:
    window = BlockhashWindow(validity=3)
    window.issue(blockhash(1), height=10)
    assert window.latest().blockhash == blockhash(1)
    assert window.latest().last_valid_block_height == 13
    assert window.is_valid(blockhash(1), 13)
    assert not window.is_valid(blockhash(1), 14)
    assert not window.is_valid(blockhash(2), 10)  # never issued


def test_latest_is_the_last_issued_even_when_reissued() -> None:
    window = BlockhashWindow(validity=5)
    window.issue(blockhash(1), height=1)
    window.issue(blockhash(2), height=2)
    window.issue(blockhash(1), height=3)
    assert window.latest().blockhash == blockhash(1)
    assert window.latest().last_valid_block_height == 8


def test_the_window_survives_its_json_form() -> None:
    window = BlockhashWindow(validity=4)
    for n in range(1, 4):
        window.issue(blockhash(n), height=n)
    restored = BlockhashWindow(4, window.to_json())
    assert restored.latest() == window.latest()
    assert all(restored.is_valid(blockhash(n), 5) for n in range(1, 4))
    assert restored.to_json() == window.to_json()


@given(validity=st.integers(1, 20), issued=st.integers(1, 60), height=st.integers(0, 80))
def test_valid_exactly_while_height_is_at_most_issue_height_plus_validity(
    validity: int, issued: int, height: int
) -> None:
    window = BlockhashWindow(validity)
    for n in range(1, issued + 1):
        window.issue(blockhash(n), height=n)  # one block per issue, as on the embedded chain
    for n in range(1, issued + 1):
        # Pruning only forgets hashes that were no longer valid at the latest height.
        if height >= issued:
            assert window.is_valid(blockhash(n), height) == (height <= n + validity)
