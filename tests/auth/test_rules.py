"""The auth domain's pure rules, without a database: roles, API-key scopes, credential expiry,
and every check a signed SIWS message must pass."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from solders.keypair import Keypair

from ece.auth import rules, siws
from ece.auth.rules import ApiKeyScope, CredentialState, IssuedNonce, Role, Site
from ece.core.errors import Conflict

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SITE = Site("ece.example", "https://ece.example", "localnet")

# --- roles ---------------------------------------------------------------------------------------


@given(st.lists(st.sampled_from([r.value for r in Role])))
def test_every_user_has_the_user_role_once(stored: list[str]) -> None:
    names = rules.role_names(stored)
    assert Role.user in names
    assert names == sorted(set(names))


def test_developers_and_admins_hold_api_keys() -> None:
    assert rules.may_hold_api_keys([Role.user, Role.developer])
    assert rules.may_hold_api_keys([Role.user, Role.admin])
    assert not rules.may_hold_api_keys([Role.user, Role.compliance, Role.treasury_signer])


@given(st.lists(st.sampled_from(list(Role))), st.booleans())
def test_roles_to_store(wanted: list[Role], self_edit: bool) -> None:
    user_id = "admin" if self_edit else "other"
    if self_edit and Role.admin not in wanted:
        with pytest.raises(Conflict) as refused:
            rules.roles_to_store("admin", user_id, wanted)
        assert refused.value.instance_code == "cannot_demote_self"
        return
    stored = rules.roles_to_store("admin", user_id, wanted)
    assert Role.user not in stored
    assert set(stored) == set(wanted) - {Role.user}
    assert stored == sorted(stored)


def test_staff_routes_need_a_session_and_the_role() -> None:
    refusal = rules.staff_refusal(True, [Role.admin], [Role.admin])
    assert refusal is not None and refusal.instance_code == "session_required"
    refusal = rules.staff_refusal(False, [Role.user], [Role.admin, Role.compliance])
    assert refusal is not None and refusal.instance_code == "forbidden"
    assert "admin or compliance" in refusal.detail
    assert (
        rules.staff_refusal(False, [Role.user, Role.compliance], [Role.admin, Role.compliance])
        is None
    )


# --- API-key scopes -------------------------------------------------------------------------------


@given(st.lists(st.sampled_from(list(ApiKeyScope))))
def test_scopes_round_trip_through_their_stored_text(scopes: list[ApiKeyScope]) -> None:
    assert rules.parse_scopes(rules.scopes_text(scopes)) == sorted(set(scopes))


def test_unmarked_routes_need_read_to_read_and_trade_to_write() -> None:
    assert rules.needed_access(None, safe_method=True) == "read"
    assert rules.needed_access(None, safe_method=False) == "trade"
    assert rules.needed_access("withdraw", safe_method=True) == "withdraw"


@given(
    st.sampled_from(["any", "session", *[s.value for s in ApiKeyScope]]),
    st.sets(st.sampled_from(list(ApiKeyScope))),
)
def test_key_access(needed: str, scopes: set[ApiKeyScope]) -> None:
    refusal = rules.key_access_refusal(needed, scopes)
    if needed == "any":
        assert refusal is None
    elif needed == "session":
        assert refusal is not None and refusal.instance_code == "session_required"
    elif ApiKeyScope(needed) in scopes:
        assert refusal is None
    else:
        assert refusal is not None and refusal.instance_code == "insufficient_scope"


# --- credentials ----------------------------------------------------------------------------------

LIVE = CredentialState(revoked=False, expires_at=NOW + timedelta(hours=1), is_api_key=False)


def test_a_live_session_authenticates() -> None:
    assert rules.credential_refusal(LIVE, [Role.user], NOW) is None


def test_revoked_expired_and_orphaned_credentials_are_refused() -> None:
    revoked = rules.credential_refusal(replace(LIVE, revoked=True), [Role.user], NOW)
    assert revoked is not None and revoked.instance_code == "invalid_token"
    expired = rules.credential_refusal(replace(LIVE, expires_at=NOW), [Role.user], NOW)
    assert expired is not None and expired.instance_code == "token_expired"
    key = replace(LIVE, is_api_key=True)
    orphan = rules.credential_refusal(key, [Role.user], NOW)
    assert orphan is not None and orphan.instance_code == "invalid_token"
    assert rules.credential_refusal(key, [Role.user, Role.developer], NOW) is None


@given(st.text(min_size=1, max_size=60))
def test_token_hash_is_stable_hex(token: str) -> None:
    digest = rules.hash_token(token)
    assert digest == rules.hash_token(token)
    assert len(digest) == 64 and int(digest, 16) >= 0


def test_token_prefixes_tell_sessions_from_keys() -> None:
    assert rules.shown_prefix("ece_s_abcdefgh", "session") == "ece_s_abcd"
    assert rules.shown_prefix("ece_k_abcdefgh", "api_key") == "ece_k_abcd"


# --- nonces and the sign-in message ---------------------------------------------------------------


@given(st.datetimes(timezones=st.just(UTC)), st.integers(min_value=1, max_value=3600))
def test_challenge_window_is_millisecond_precise(now: datetime, ttl: int) -> None:
    issued, expires = rules.challenge_window(now, ttl)
    assert issued.microsecond % 1000 == 0
    assert timedelta(0) <= now - issued < timedelta(milliseconds=1)
    assert expires - issued == timedelta(seconds=ttl)


@given(st.integers(min_value=-5, max_value=5))
def test_a_nonce_expires_at_its_expiry(offset: int) -> None:
    expires = NOW + timedelta(seconds=offset)
    assert rules.nonce_expired(expires, NOW) is (offset <= 0)


MS = timedelta(milliseconds=250)
ISSUED = IssuedNonce(None, NOW + MS, NOW + timedelta(minutes=5) + MS)
ISSUED_TEXT = {
    "Issued At": "2026-03-01T12:00:00.250Z",
    "Expiration Time": "2026-03-01T12:05:00.250Z",
}


def _message(address: str = "A" * 43, **overrides: str | None) -> str:
    """A sign-in message for ``ISSUED`` and ``SITE``, with fields replaced (None: left out)."""
    fields: dict[str, str | None] = {
        "URI": SITE.uri,
        "Version": "1",
        "Chain ID": SITE.chain_id,
        "Nonce": "n" * 32,
        **ISSUED_TEXT,
    }
    header = overrides.pop("header", f"{SITE.domain}{siws.HEADER_SUFFIX}")
    statement = overrides.pop("statement", siws.STATEMENT)
    fields.update(overrides)
    lines = [f"{name}: {value}" for name, value in fields.items() if value is not None]
    return "\n".join([str(header), address, "", str(statement), "", *lines])


def _refusal(message: str, issued: IssuedNonce = ISSUED) -> str | None:
    return rules.signin_refusal(siws.parse(message), issued, SITE, NOW)


def test_the_issued_message_and_its_input_say_the_same() -> None:
    issued = siws.SiwsMessage(
        SITE.domain, "B" * 43, siws.STATEMENT, SITE.uri, "1", "localnet", "x" * 16, NOW, NOW
    )
    stated = siws.parse(issued.text())
    assert stated.address == "B" * 43 and stated.nonce == "x" * 16
    assert stated.statement == siws.STATEMENT and stated.resources is None
    sign_in_input = issued.sign_in_input(with_address=False)
    assert "address" not in sign_in_input
    assert sign_in_input["issuedAt"] == "2026-03-01T12:00:00.000Z" == stated.issued_at
    assert sign_in_input["chainId"] == stated.chain_id


def test_a_matching_message_signs_in() -> None:
    assert _refusal(_message()) is None


@pytest.mark.parametrize(
    "overrides",
    [
        {"Issued At": "2026-03-01T12:00:00Z"},  # no milliseconds
        {"Issued At": "2026-03-01T13:00:00.25+01:00", "Expiration Time": "2026-03-01T12:05:00Z"},
        {"Request ID": "req-7"},
        {"Not Before": "2026-03-01T11:59:00Z"},
    ],
)
def test_equivalent_timestamps_and_added_optional_fields_are_accepted(
    overrides: dict[str, str],
) -> None:
    assert _refusal(_message(**overrides)) is None


def test_resources_a_wallet_adds_are_accepted() -> None:
    message = _message() + "\nResources:\n- https://ece.example/terms\n- ipfs://bafy"
    assert siws.parse(message).resources == ("https://ece.example/terms", "ipfs://bafy")
    assert _refusal(message) is None


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"header": f"evil.example{siws.HEADER_SUFFIX}"}, "another domain"),
        ({"URI": "https://evil.example"}, "another site"),
        ({"Version": "2"}, "version"),
        ({"Chain ID": "mainnet"}, "another chain"),
        ({"Issued At": "2026-03-01T12:00:00.000Z"}, "Issued At differs"),
        ({"Issued At": "2026-03-01T12:00:01Z"}, "Issued At differs"),
        ({"Issued At": "1 March 2026"}, "Issued At differs"),
        ({"Issued At": None}, "Issued At differs"),
        ({"Expiration Time": "2026-03-01T13:05:00.250Z"}, "Expiration Time differs"),
        ({"Expiration Time": None}, "Expiration Time differs"),
        ({"Not Before": "2026-03-01T12:01:00Z"}, "not valid yet"),
        ({"statement": "Something else"}, "differs from the one issued"),
    ],
)
def test_each_field_is_checked(overrides: dict[str, str | None], reason: str) -> None:
    refusal = _refusal(_message(**overrides))
    assert refusal is not None and reason in refusal


def test_a_challenge_for_one_wallet_refuses_another() -> None:
    issued = replace(ISSUED, address="B" * 43)
    assert _refusal(_message(address="B" * 43), issued) is None
    assert "does not match the challenge" in (_refusal(_message(), issued) or "")


def test_an_expired_nonce_refuses_even_a_fresh_message() -> None:
    assert "expired" in (_refusal(_message(), replace(ISSUED, expires_at=NOW)) or "")


def test_a_challenge_without_a_recorded_issue_time_is_refused() -> None:
    assert "older version" in (_refusal(_message(), replace(ISSUED, issued_at=None)) or "")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        f"{SITE.domain}{siws.HEADER_SUFFIX}",
        f"{SITE.domain}{siws.HEADER_SUFFIX}\naddr\nURI: x",  # no blank line
        f"{SITE.domain}{siws.HEADER_SUFFIX}\naddr\n\nst\n\nNonce: a\nURI: b",  # out of order
        f"{SITE.domain}{siws.HEADER_SUFFIX}\naddr\n\nst\n\nURI: b\nColour: red",
        f"{SITE.domain}{siws.HEADER_SUFFIX}\naddr\n\nst\n\nResources:\n-x",
    ],
)
def test_malformed_messages_are_refused(text: str) -> None:
    with pytest.raises(siws.MalformedMessage):
        siws.parse(text)


def test_only_the_key_that_signed_verifies() -> None:
    keypair, message = Keypair(), _message().encode()
    signature = bytes(keypair.sign_message(message))
    assert siws.verify_signature(str(keypair.pubkey()), message, signature)
    assert not siws.verify_signature(str(Keypair().pubkey()), message, signature)
    assert not siws.verify_signature(str(keypair.pubkey()), message + b" ", signature)
    assert not siws.verify_signature("not-an-address", message, signature)
    assert not siws.verify_signature(str(keypair.pubkey()), message, signature[:63])


def test_chain_id_is_mainnet_only_in_production() -> None:
    assert rules.chain_id_for("production") == "mainnet"
    assert rules.chain_id_for("development") == "localnet"


def test_listed_admin_addresses_become_admins_once() -> None:
    assert rules.becomes_admin("A", {"A"}, [Role.user])
    assert not rules.becomes_admin("A", {"A"}, [Role.user, Role.admin])
    assert not rules.becomes_admin("B", {"A"}, [Role.user])
