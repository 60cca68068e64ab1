// The wallet page: dev faucet, paying a deposit request with the signed-in wallet, and live
// balances and status of deposits and withdrawals. Live means the socket's user channel: each
// event of yours re-reads the balances (and the deposit or withdrawal being watched, when the
// event is about one); the page polls only while the socket is down.
import { encode } from "./base58.js";
import { api, newKey } from "./api.js";
import { isConnected, onConnection, subscribe } from "./live.js";
import { toast, toastAfterReload } from "./ui.js";
import { fromBase64, toBase64 } from "./tx.js";
import { walletFor } from "./walletstd.js";

const POLL_MS = 1000;
const address = document.body.dataset.address;

function fill(root, values) {
  for (const [name, value] of Object.entries(values)) {
    root.querySelectorAll(`[data-field="${name}"]`).forEach((el) => {
      if (el instanceof HTMLAnchorElement && name.endsWith("_url")) {
        el.href = value ?? "#";
        el.hidden = value == null; // a deposit opened before transaction-request links
      }
      else el.textContent = value == null ? "" : String(value).replace(/_/g, " ");
    });
  }
}

// --- faucet -----------------------------------------------------------------------------------

const faucet = document.getElementById("faucet");
faucet?.addEventListener("click", async () => {
  const error = document.getElementById("faucet-error");
  const result = document.getElementById("faucet-result");
  error.textContent = "";
  faucet.disabled = true;
  try {
    const got = [];
    for (const pair of faucet.dataset.amounts.split(",")) {
      const [asset, amount] = pair.split(":");
      await api("POST", "/api/v1/dev/faucet", { asset, amount });
      got.push(`${amount} ${asset}`);
      result.textContent = `Sent to your wallet: ${got.join(", ")}.`;
    }
    result.textContent += " They are in your wallet, not yet here: deposit them below to trade.";
    await refreshOnchain().catch(() => null);
  } catch (problem) {
    error.textContent = problem.message;
  } finally {
    faucet.disabled = false;
  }
});

// --- the wallet's own (on-chain) balances -----------------------------------------------------

// Read through this origin's /rpc (the embedded chain): the CSP lets the page reach no other
// host, so with an outside RPC the section says where to look instead.
async function rpc(method, params) {
  const response = await fetch("/rpc", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const answer = await response.json();
  if (answer.error) throw new Error(answer.error.message);
  return answer.result;
}

function decimal(units, decimals) {
  const text = units.toString().padStart(decimals + 1, "0");
  const fraction = text.slice(-decimals).replace(/0+$/, "");
  return text.slice(0, -decimals) + (fraction ? `.${fraction}` : "");
}

const onchain = document.getElementById("onchain");
async function refreshOnchain() {
  if (!onchain || !address) return;
  if (onchain.dataset.cluster !== "embedded") {
    onchain.querySelectorAll("dd").forEach((dd) => (dd.textContent = "see your wallet app"));
    return;
  }
  const chain = await api("GET", "/api/v1/chain");
  const sol = await rpc("getBalance", [address]);
  onchain.querySelector('[data-testid="onchain-SOL"]').textContent = decimal(BigInt(sol.value), 9);
  for (const [asset, info] of Object.entries(chain.assets)) {
    const found = await rpc("getTokenAccountsByOwner", [address, { mint: info.mint }, { encoding: "base64" }]);
    let units = 0n;
    for (const { pubkey } of found.value) {
      units += BigInt((await rpc("getTokenAccountBalance", [pubkey])).value.amount);
    }
    const cell = onchain.querySelector(`[data-testid="onchain-${asset}"]`);
    if (cell) cell.textContent = decimal(units, info.decimals);
  }
}
refreshOnchain().catch(() => null);

// --- live balances ----------------------------------------------------------------------------

async function refreshBalances() {
  refreshOnchain().catch(() => null);
  const { balances } = await api("GET", "/api/v1/users/me/balances");
  for (const b of balances) {
    const panel = document.querySelector(`.balance[data-asset="${b.asset}"]`);
    if (!panel) continue;
    panel.querySelector(`[data-testid="available-${b.asset}"]`).textContent = b.available;
    panel.querySelector(".muted").textContent = `available · ${b.held} held · ${b.total} total`;
  }
}

// What is being watched: a deposit request and a withdrawal made on this page (their ids).
const watching = { deposit: null, withdrawal: null };

async function refreshWatched(eventName) {
  const checks = [refreshBalances()];
  if (watching.deposit && (!eventName || eventName.startsWith("deposit."))) {
    checks.push(checkDeposit(watching.deposit));
  }
  if (watching.withdrawal && (!eventName || eventName.startsWith("withdrawal."))) {
    checks.push(checkWithdrawal(watching.withdrawal));
  }
  await Promise.all(checks);
}

let pollTimer = null;
function pollWhileDown(connected) {
  if (connected && pollTimer) {
    clearInterval(pollTimer);
    pollTimer = null;
  } else if (!connected && !pollTimer && (watching.deposit || watching.withdrawal)) {
    pollTimer = setInterval(() => refreshWatched(null).catch(() => null), POLL_MS);
  }
}

if (address) {
  subscribe("user", (message) => refreshWatched(message.event).catch(() => null));
  onConnection(pollWhileDown);
}

function watch(kind, id) {
  watching[kind] = id;
  refreshWatched(null).catch(() => null); // an event may have passed before we watched
  pollWhileDown(isConnected());
}

// --- deposits ---------------------------------------------------------------------------------

const depositBox = document.getElementById("deposit-request");
let deposit = null;

async function checkDeposit(id) {
  const current = await api("GET", `/api/v1/deposits/${id}`);
  fill(depositBox, { status: current.status });
  if (current.status === "credited" || current.status === "expired") {
    if (watching.deposit === id) watching.deposit = null;
    if (current.status === "credited") {
      toast(`Deposit credited: ${current.received_amount} ${current.asset}.`);
      if (pendingBuy) await completeBuy();
    }
  }
}

document.getElementById("deposit-form")?.addEventListener("api:success", (event) => {
  deposit = event.detail;
  fill(depositBox, deposit);
  document.getElementById("deposit-qr").src = `/api/v1/deposits/${deposit.id}/qr.svg`;
  depositBox.hidden = false;
  watch("deposit", deposit.id);
});

async function sendSigned(wallet, account, unsigned, chain) {
  if (chain.cluster === "embedded" && wallet.features["solana:signTransaction"]) {
    const [{ signedTransaction }] = await wallet.features["solana:signTransaction"].signTransaction({
      account,
      transaction: unsigned,
      chain: "solana:localnet",
    });
    // The embedded chain's JSON-RPC is on this origin (the page may not reach any other).
    const response = await fetch("/rpc", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "sendTransaction",
        params: [toBase64(signedTransaction), { encoding: "base64" }],
      }),
    });
    const answer = await response.json();
    if (answer.error) throw new Error(answer.error.message);
    return answer.result;
  }
  const send = wallet.features["solana:signAndSendTransaction"];
  if (!send) throw new Error(`${wallet.name} cannot send transactions; use the Solana Pay link.`);
  const cluster = chain.cluster === "mainnet-beta" ? "mainnet" : chain.cluster;
  const [{ signature }] = await send.signAndSendTransaction({
    account,
    transaction: unsigned,
    chain: `solana:${cluster}`,
  });
  return encode(signature);
}

document.getElementById("pay-with-wallet")?.addEventListener("click", async (event) => {
  const button = event.currentTarget;
  const error = document.getElementById("pay-error");
  error.textContent = "";
  button.disabled = true;
  try {
    const { wallet, account } = await walletFor(address);
    const chain = await api("GET", "/api/v1/chain");
    const built = await api("POST", `/api/v1/deposits/${deposit.id}/transaction`, { account: address });
    const signature = await sendSigned(wallet, account, fromBase64(built.transaction), chain);
    fill(depositBox, { signature, status: "sent, waiting for the chain" });
  } catch (problem) {
    error.textContent = problem.message || String(problem);
    button.disabled = false;
  }
});

// --- withdrawals ------------------------------------------------------------------------------

const withdrawStatus = document.getElementById("withdraw-status");

async function checkWithdrawal(id) {
  withdrawStatus.hidden = false;
  const link = withdrawStatus.querySelector('[data-field="signature"]');
  const current = await api("GET", `/api/v1/withdrawals/${id}`);
  fill(withdrawStatus, { status: current.status });
  if (current.signature) {
    link.textContent = current.signature;
    link.href = link.dataset.explorer.replace("{sig}", current.signature);
  }
  if ((current.status === "confirmed" || current.status === "failed") && watching.withdrawal === id) {
    watching.withdrawal = null;
  }
}

const withdrawForm = document.getElementById("withdraw-form");
withdrawForm?.addEventListener("api:success", (event) => {
  watch("withdrawal", event.detail.id);
});

// --- "Add funds" from a refusal elsewhere: the deposit form prefilled with what was missing ---

const wanted = new URLSearchParams(location.search);

// "Deposit and buy": arriving from a buy that fell short, the buy is made (at most at the price
// the buyer accepted, with one Idempotency-Key kept for this page) once the deposit is credited.
const pendingBuy = wanted.get("buy") && wanted.get("max_price") && wanted.get("card")
  ? { listing: wanted.get("buy"), max_price: wanted.get("max_price"), card: wanted.get("card"), key: newKey() }
  : null;
const thenBuy = document.getElementById("then-buy");
if (pendingBuy && thenBuy) {
  thenBuy.textContent = `Once this deposit is credited, the card is bought for ${pendingBuy.max_price} ${wanted.get("asset") || ""}.`;
  thenBuy.hidden = false;
}

async function completeBuy() {
  const buy = pendingBuy;
  if (buy.started) return; // the socket's event and a poll may both see the credit
  buy.started = true;
  try {
    await api("POST", `/api/v1/listings/${buy.listing}/buy`, { max_price: buy.max_price }, { idempotencyKey: buy.key });
    toastAfterReload("Bought! It is in your cards.");
    location.assign(`/cards/${buy.card}`);
  } catch (problem) {
    thenBuy.textContent = `Deposit credited, but the buy did not go through: ${problem.message}`;
  }
}
const depositForm = /** @type {HTMLFormElement | null} */ (document.getElementById("deposit-form"));
if (depositForm && wanted.get("amount")) {
  const asset = /** @type {HTMLSelectElement} */ (depositForm.elements.namedItem("asset"));
  if ([...asset.options].some((o) => o.value === wanted.get("asset"))) asset.value = wanted.get("asset");
  /** @type {HTMLInputElement} */ (depositForm.elements.namedItem("amount")).value = wanted.get("amount");
}
