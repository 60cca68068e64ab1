// Every page: sign in and out with a wallet, the API forms, the service worker.
import "./forms.js";
import { encode } from "./base58.js";
import { api } from "./api.js";
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

async function signIn(wallet, button) {
  errorBox.textContent = "";
  button.disabled = true;
  try {
    const [account] = await connect(wallet);
    if (!account) throw new Error("The wallet shared no account.");
    const challenge = await api("POST", "/api/v1/auth/challenge", { address: account.address });
    const message = new TextEncoder().encode(challenge.message);
    const [signed] = await wallet.features["solana:signMessage"].signMessage({ account, message });
    await api("POST", "/api/v1/auth/login", {
      message: challenge.message,
      signature: encode(signed.signature),
    });
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
