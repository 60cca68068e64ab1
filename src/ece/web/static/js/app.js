// Every page: sign in and out with a wallet, the API forms, the service worker.
import "./forms.js";
import { encode } from "./base58.js";
import { api } from "./api.js";
import { toBase64 } from "./tx.js";
import { showPendingToast } from "./ui.js";
import { connect, forgetWallet, onWalletsChanged, rememberWallet, solanaWallets } from "./walletstd.js";

const dialog = /** @type {HTMLDialogElement} */ (document.getElementById("signin-dialog"));
const errorBox = document.getElementById("signin-error");

function listWallets() {
  const list = document.getElementById("wallet-list");
  const wallets = solanaWallets();
  list.replaceChildren(
    ...wallets.map((wallet) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn wallet-choice";
      const icon = document.createElement("img");
      icon.src = wallet.icon;
      icon.alt = "";
      icon.width = 24;
      icon.height = 24;
      button.append(icon, document.createTextNode(wallet.name));
      button.addEventListener("click", () => signIn(wallet, button));
      item.append(button);
      return item;
    }),
  );
  document.getElementById("wallet-empty").hidden = wallets.length > 0;
}

// Wallet Standard solana:signIn: the wallet connects and signs in one step, writing the message
// from our SolanaSignInInput with the account it chooses.
async function signInWithInput(wallet) {
  const challenge = await api("POST", "/api/v1/auth/challenge", {});
  const [output] = await wallet.features["solana:signIn"].signIn(challenge.input);
  await api("POST", "/api/v1/auth/login", {
    output: {
      account: { address: output.account.address, publicKey: toBase64(output.account.publicKey) },
      signedMessage: toBase64(output.signedMessage),
      signature: toBase64(output.signature),
    },
  });
}

// solana:signMessage: connect first, then sign the message text issued for that account.
async function signInWithMessage(wallet) {
  const [account] = await connect(wallet);
  if (!account) throw new Error("The wallet shared no account.");
  const challenge = await api("POST", "/api/v1/auth/challenge", { address: account.address });
  const message = new TextEncoder().encode(challenge.message);
  const [signed] = await wallet.features["solana:signMessage"].signMessage({ account, message });
  await api("POST", "/api/v1/auth/login", {
    message: challenge.message,
    signature: encode(signed.signature),
  });
}

async function signIn(wallet, button) {
  errorBox.textContent = "";
  button.disabled = true;
  try {
    if (wallet.features["solana:signIn"]) await signInWithInput(wallet);
    else await signInWithMessage(wallet);
    rememberWallet(wallet);
    location.reload();
  } catch (error) {
    errorBox.textContent = error.message || String(error);
    button.disabled = false;
  }
}

async function signOut() {
  try {
    await api("POST", "/api/v1/auth/logout");
  } finally {
    forgetWallet();
    // The offline copy of the portfolio belongs to the user who leaves.
    if ("caches" in window) await caches.delete("ece-pages-v1");
    location.assign("/");
  }
}

document.addEventListener("click", (event) => {
  const target = event.target instanceof Element && event.target.closest("[data-action]");
  if (!target) return;
  if (target.dataset.action === "signin") {
    listWallets();
    errorBox.textContent = "";
    dialog.showModal();
  } else if (target.dataset.action === "signout") {
    signOut();
  }
});
onWalletsChanged(() => dialog.open && listWallets());

showPendingToast();

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js").catch(() => {
    // No offline copy then; the site works the same online.
  });
}
