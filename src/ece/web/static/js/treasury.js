// Treasury console: a member approves a payout (the first M approvers are the signers its
// transaction names), then each chosen signer signs its message with the wallet they signed in
// with (Wallet Standard signMessage over the exact message bytes) and posts the signature.
import { api, newKey } from "./api.js";
import { encode } from "./base58.js";
import { fromBase64 } from "./tx.js";
import { walletFor } from "./walletstd.js";

async function sign(button) {
  const id = button.dataset.signPayout;
  const signer = button.dataset.signer;
  const error = button.parentElement.querySelector(".form-error");
  error.hidden = true;
  button.disabled = true;
  try {
    const tx = await api("GET", `/api/v1/treasury/payouts/${id}/transaction`);
    const { wallet, account } = await walletFor(signer);
    const message = fromBase64(tx.message);
    const [signed] = await wallet.features["solana:signMessage"].signMessage({ account, message });
    await api(
      "POST",
      `/api/v1/treasury/payouts/${id}/signatures`,
      { signer, signature: encode(signed.signature) },
      { idempotencyKey: newKey() },
    );
    location.reload();
  } catch (problem) {
    error.textContent = problem.message || "Signing failed.";
    error.hidden = false;
    button.disabled = false;
  }
}

async function approve(button) {
  const error = button.parentElement.querySelector(".form-error");
  error.hidden = true;
  button.disabled = true;
  try {
    await api("POST", `/api/v1/treasury/payouts/${button.dataset.approvePayout}/approvals`, undefined, {
      idempotencyKey: newKey(),
    });
    location.reload();
  } catch (problem) {
    error.textContent = problem.message || "Approval failed.";
    error.hidden = false;
    button.disabled = false;
  }
}

for (const button of document.querySelectorAll("[data-approve-payout]")) {
  button.addEventListener("click", () => approve(button));
}

for (const button of document.querySelectorAll("[data-sign-payout]")) {
  button.addEventListener("click", () => sign(button));
}
