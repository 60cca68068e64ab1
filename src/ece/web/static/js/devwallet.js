// The development wallet: an Ed25519 keypair made and kept in this browser (localStorage),
// signing with WebCrypto, registered like any other wallet through the Wallet Standard, so the
// pages use one code path for Phantom and for it. Development only: the key is not protected.
import { encode } from "./base58.js";
import { signTransaction } from "./tx.js";

const STORE = "ece.devwallet.jwk";
const CHAINS = ["solana:localnet", "solana:devnet", "solana:testnet"];
const ICON =
  "data:image/svg+xml;base64," +
  btoa(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1d2533"/>' +
      '<path d="M8 11h16v12H8z" fill="none" stroke="#f5c542" stroke-width="2"/><circle cx="20" cy="17" r="2" fill="#f5c542"/></svg>',
  );

function fromBase64Url(text) {
  const padded = text.replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

async function loadKey() {
  const saved = localStorage.getItem(STORE);
  let jwk;
  if (saved) {
    jwk = JSON.parse(saved);
  } else {
    const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
    jwk = await crypto.subtle.exportKey("jwk", pair.privateKey);
    localStorage.setItem(STORE, JSON.stringify(jwk));
  }
  const privateKey = await crypto.subtle.importKey("jwk", jwk, { name: "Ed25519" }, false, ["sign"]);
  // An OKP JWK carries the public key as "x": 32 raw bytes, base64url.
  return { privateKey, publicKey: fromBase64Url(jwk.x) };
}

/** The Sign-In With Solana message (CAIP-122 text) for a SolanaSignInInput and an address. */
function signInMessage(input, address) {
  const lines = [`${input.domain || location.host} wants you to sign in with your Solana account:`, address];
  if (input.statement) lines.push("", input.statement);
  const fields = [
    ["URI", input.uri],
    ["Version", input.version],
    ["Chain ID", input.chainId],
    ["Nonce", input.nonce],
    ["Issued At", input.issuedAt],
    ["Expiration Time", input.expirationTime],
    ["Not Before", input.notBefore],
    ["Request ID", input.requestId],
  ]
    .filter(([, value]) => value)
    .map(([name, value]) => `${name}: ${value}`);
  if (input.resources?.length) fields.push("Resources:", ...input.resources.map((r) => `- ${r}`));
  if (fields.length) lines.push("", ...fields);
  return lines.join("\n");
}

class DevWallet {
  version = "1.0.0";
  name = "ECE Dev Wallet";
  icon = ICON;
  chains = CHAINS;
  #key = null;
  #accounts = [];
  #listeners = new Set();

  get accounts() {
    return this.#accounts;
  }

  get features() {
    return {
      "standard:connect": { version: "1.0.0", connect: () => this.#connect() },
      "standard:disconnect": { version: "1.0.0", disconnect: () => this.#disconnect() },
      "standard:events": { version: "1.0.0", on: (event, listener) => this.#on(event, listener) },
      "solana:signIn": {
        version: "1.0.0",
        signIn: (...inputs) => Promise.all(inputs.map((input) => this.#signIn(input))),
      },
      "solana:signMessage": {
        version: "1.1.0",
        signMessage: (...inputs) => Promise.all(inputs.map((input) => this.#signMessage(input))),
      },
      "solana:signTransaction": {
        version: "1.0.0",
        supportedTransactionVersions: ["legacy", 0],
        signTransaction: (...inputs) => Promise.all(inputs.map((input) => this.#signTransaction(input))),
      },
    };
  }

  async #connect() {
    this.#key ??= await loadKey();
    if (!this.#accounts.length) {
      this.#accounts = [
        Object.freeze({
          address: encode(this.#key.publicKey),
          publicKey: this.#key.publicKey,
          chains: CHAINS,
          features: ["solana:signIn", "solana:signMessage", "solana:signTransaction"],
          label: "Dev wallet (this browser)",
        }),
      ];
      this.#emit();
    }
    return { accounts: this.#accounts };
  }

  async #disconnect() {
    this.#accounts = [];
    this.#emit();
  }

  #on(event, listener) {
    if (event !== "change") return () => {};
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit() {
    this.#listeners.forEach((listener) => listener({ accounts: this.#accounts }));
  }

  async #sign(bytes) {
    return new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, this.#key.privateKey, bytes));
  }

  #check(account) {
    if (!this.#key || account.address !== encode(this.#key.publicKey)) {
      throw new Error("Unknown account: connect the dev wallet first.");
    }
  }

  async #signMessage({ account, message }) {
    this.#check(account);
    return { signedMessage: message, signature: await this.#sign(message), signatureType: "ed25519" };
  }

  // Sign-In With Solana as a wallet does it: connect, write the message from the app's input
  // with our account, sign it.
  async #signIn(input = {}) {
    const {
      accounts: [account],
    } = await this.#connect();
    if (input.address && input.address !== account.address) throw new Error("Unknown account.");
    const signedMessage = new TextEncoder().encode(signInMessage(input, account.address));
    return { account, signedMessage, signature: await this.#sign(signedMessage), signatureType: "ed25519" };
  }

  async #signTransaction({ account, transaction }) {
    this.#check(account);
    const signed = await signTransaction(transaction, this.#key.publicKey, (m) => this.#sign(m));
    return { signedTransaction: signed };
  }
}

const wallet = new DevWallet();
const callback = ({ register }) => register(wallet);
window.dispatchEvent(new CustomEvent("wallet-standard:register-wallet", { detail: callback }));
window.addEventListener("wallet-standard:app-ready", ({ detail }) => callback(detail));
