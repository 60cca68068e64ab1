// Small shared pieces of page behaviour: the confirmation dialog and the status toast.

/** Ask before anything that moves value; resolves true only on "Confirm". */
export function confirmAction(text) {
  const dialog = /** @type {HTMLDialogElement} */ (document.getElementById("confirm-dialog"));
  document.getElementById("confirm-text").textContent = text;
  dialog.returnValue = "";
  dialog.showModal();
  document.getElementById("confirm-ok").focus();
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
  });
}

export function toast(text) {
  const box = document.getElementById("toast");
  box.textContent = text;
  box.classList.add("shown");
  setTimeout(() => box.classList.remove("shown"), 4000);
}

/** Remember a message across the reload that follows a successful action. */
export function toastAfterReload(text) {
  sessionStorage.setItem("ece.toast", text);
}

export function showPendingToast() {
  const text = sessionStorage.getItem("ece.toast");
  if (text) {
    sessionStorage.removeItem("ece.toast");
    toast(text);
  }
}
