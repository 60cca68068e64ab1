"""Signing in from the web app: a wallet that offers Sign-In With Solana (`solana:signIn`, as the
dev wallet does) connects and signs in in one step from our SolanaSignInInput; a wallet that only
signs messages connects, then signs the message text issued for its account."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, Request, expect

from tests.web.conftest import Browsers, WebServer

pytestmark = pytest.mark.browser

# A third-party wallet with no solana:signIn: connect + signMessage, keys in WebCrypto. Injected
# before the page's scripts, as a browser extension's content script would be.
MESSAGE_ONLY_WALLET = """
(() => {
  const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  const base58 = (bytes) => {
    let n = 0n;
    for (const b of bytes) n = n * 256n + BigInt(b);
    let out = "";
    while (n > 0n) { out = ALPHABET[Number(n % 58n)] + out; n /= 58n; }
    for (const b of bytes) { if (b !== 0) break; out = "1" + out; }
    return out;
  };
  let keys = null;
  let accounts = [];
  window.__messageWalletCalls = [];
  const wallet = {
    version: "1.0.0",
    name: "Message Wallet",
    icon: "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=",
    chains: ["solana:localnet"],
    get accounts() { return accounts; },
    features: {
      "standard:connect": { version: "1.0.0", connect: async () => {
        window.__messageWalletCalls.push("connect");
        keys ??= await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
        const raw = new Uint8Array(await crypto.subtle.exportKey("raw", keys.publicKey));
        accounts = [{ address: base58(raw), publicKey: raw, chains: ["solana:localnet"],
                      features: ["solana:signMessage"] }];
        return { accounts };
      } },
      "standard:events": { version: "1.0.0", on: () => () => {} },
      "solana:signMessage": { version: "1.1.0", signMessage: async ({ message }) => {
        window.__messageWalletCalls.push("signMessage");
        const signature = new Uint8Array(
          await crypto.subtle.sign({ name: "Ed25519" }, keys.privateKey, message));
        return [{ signedMessage: message, signature }];
      } },
    },
  };
  const callback = ({ register }) => register(wallet);
  window.dispatchEvent(new CustomEvent("wallet-standard:register-wallet", { detail: callback }));
  window.addEventListener("wallet-standard:app-ready", ({ detail }) => callback(detail));
})();
"""


def _record_auth(page: Page) -> dict[str, dict[str, object]]:
    bodies: dict[str, dict[str, object]] = {}

    def on_request(request: Request) -> None:
        for name in ("challenge", "login"):
            if request.method == "POST" and request.url.endswith(f"/api/v1/auth/{name}"):
                bodies[name] = json.loads(request.post_data or "{}")

    page.on("request", on_request)
    return bodies


def _sign_in_with(page: Page, base_url: str, wallet: str) -> str:
    page.goto(f"{base_url}/")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name=wallet).click()
    address = page.get_by_test_id("viewer-address")
    expect(address).to_be_visible()
    return str(address.get_attribute("title"))


def test_a_wallet_with_sign_in_uses_it(web_server: WebServer, browsers: Browsers) -> None:
    page = browsers.new_user()
    bodies = _record_auth(page)
    address = _sign_in_with(page, web_server.base_url, "ECE Dev Wallet")
    assert bodies["challenge"] == {}  # no address: the wallet names its account itself
    output = bodies["login"]["output"]
    assert isinstance(output, dict) and output["account"]["address"] == address
    assert set(bodies["login"]) == {"output"}
    browsers.watch.assert_clean()


def test_a_wallet_without_sign_in_signs_the_message(
    web_server: WebServer, browsers: Browsers
) -> None:
    page = browsers.new_user()
    page.add_init_script(MESSAGE_ONLY_WALLET)
    bodies = _record_auth(page)
    address = _sign_in_with(page, web_server.base_url, "Message Wallet")
    assert bodies["challenge"] == {"address": address}
    assert set(bodies["login"]) == {"message", "signature"}
    browsers.watch.assert_clean()
