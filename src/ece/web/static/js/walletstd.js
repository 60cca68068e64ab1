// The app side of the Wallet Standard (github.com/wallet-standard/wallet-standard): wallets
// (Phantom, Solflare, Backpack, the dev wallet...) register themselves through window events.
const registered = new Set();
const listeners = new Set();

const registry = Object.freeze({
  register(...wallets) {
    wallets.forEach((w) => registered.add(w));
    listeners.forEach((f) => f());
    return () => {
      wallets.forEach((w) => registered.delete(w));
      listeners.forEach((f) => f());
    };
  },
});

// A wallet that loaded before us registers when we announce we are ready; one that loads later
// dispatches its own event with a callback we answer.
window.addEventListener("wallet-standard:register-wallet", (event) => event.detail(registry));
window.dispatchEvent(new CustomEvent("wallet-standard:app-ready", { detail: registry }));

/** Wallets that can sign in: with Sign-In With Solana itself (`solana:signIn`), or by
 * connecting and signing the message (`solana:signMessage`). */
export function solanaWallets() {
  return [...registered].filter(
    (w) =>
      w.features["standard:connect"] && (w.features["solana:signIn"] || w.features["solana:signMessage"]),
  );
}

export function onWalletsChanged(listener) {
  listeners.add(listener);
}

export async function connect(wallet) {
  const { accounts } = await wallet.features["standard:connect"].connect();
  return accounts.length ? accounts : wallet.accounts;
}

const PREFERRED = "ece.wallet";

export function rememberWallet(wallet) {
  localStorage.setItem(PREFERRED, wallet.name);
}

export function forgetWallet() {
  localStorage.removeItem(PREFERRED);
}

/** The wallet the user signed in with (or the only one there is), and its signed-in account. */
export async function walletFor(address) {
  const all = solanaWallets();
  const preferred = localStorage.getItem(PREFERRED);
  const ordered = [...all.filter((w) => w.name === preferred), ...all.filter((w) => w.name !== preferred)];
  for (const wallet of ordered) {
    const account = (await connect(wallet)).find((a) => a.address === address);
    if (account) return { wallet, account };
  }
  throw new Error("No wallet in this browser holds the account you signed in with.");
}
