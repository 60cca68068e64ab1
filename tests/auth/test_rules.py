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


def _signed(**overrides: object) -> tuple[siws.SiwsMessage, str, str, IssuedNonce]:
    keypair = Keypair()
    fields: dict[str, object] = {
        "domain": SITE.domain,
        "address": str(keypair.pubkey()),
        "statement": siws.STATEMENT,
        "uri": SITE.uri,
        "version": "1",
        "chain_id": SITE.chain_id,
        "nonce": "n" * 32,
        "issued_at": NOW,
        "expiration_time": NOW + timedelta(minutes=5),
    }
    issued = IssuedNonce(str(keypair.pubkey()), "", NOW + timedelta(minutes=5))
    issued = replace(issued, message_hash=rules.message_hash(siws.SiwsMessage(**fields).text()))  # type: ignore[arg-type]
    fields.update(overrides)
    message = siws.SiwsMessage(**fields).text()  # type: ignore[arg-type]
    signature = str(keypair.sign_message(message.encode()))
    return siws.parse(message), message, signature, issued


def test_a_correct_signed_message_signs_in() -> None:
    parsed, message, signature, issued = _signed()
    assert rules.signin_refusal(parsed, message, signature, issued, SITE, NOW) is None


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"domain": "evil.example"}, "another domain"),
        ({"uri": "https://evil.example"}, "another site"),
        ({"version": "2"}, "version"),
        ({"chain_id": "mainnet"}, "another chain"),
        ({"expiration_time": NOW}, "expired"),
        ({"statement": "Something else"}, "differs from the one issued"),
        ({"address": str(Keypair().pubkey())}, "does not match the challenge"),
    ],
)
def test_each_field_is_checked(overrides: dict[str, object], reason: str) -> None:
    parsed, message, signature, issued = _signed(**overrides)
    refusal = rules.signin_refusal(parsed, message, signature, issued, SITE, NOW)
    assert refusal is not None and reason in refusal


def test_an_expired_nonce_refuses_even_a_fresh_message() -> None:
    parsed, message, signature, issued = _signed()
    stale = replace(issued, expires_at=NOW)
    assert "expired" in (rules.signin_refusal(parsed, message, signature, stale, SITE, NOW) or "")


def test_a_signature_by_another_key_is_refused() -> None:
    parsed, message, _, issued = _signed()
    forged = str(Keypair().sign_message(message.encode()))
    refusal = rules.signin_refusal(parsed, message, forged, issued, SITE, NOW)
    assert refusal == "The signature does not match the address."


def test_chain_id_is_mainnet_only_in_production() -> None:
    assert rules.chain_id_for("production") == "mainnet"
    assert rules.chain_id_for("development") == "localnet"


def test_listed_admin_addresses_become_admins_once() -> None:
    assert rules.becomes_admin("A", {"A"}, [Role.user])
    assert not rules.becomes_admin("A", {"A"}, [Role.user, Role.admin])
    assert not rules.becomes_admin("B", {"A"}, [Role.user])
