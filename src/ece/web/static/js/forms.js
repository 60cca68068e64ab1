// Every <form data-api="METHOD /path"> posts its fields as JSON to the API.
//
// data-idempotent   send an Idempotency-Key, one per submission: a double click or a retry of
//                   the same submission is answered once by the server, never executed twice
// data-confirm      ask first (anything that moves value)
// data-success      "reload" | "event" | "redirect-trade" | "redirect-auction"
// data-error-field  the field a problem without invalid_params is shown next to
// data-code-fields  "code=field ..." : a problem with one of these codes goes next to its field
// Field names with dots build nested objects ("give.USDC"); [data-array] checkboxes build lists;
// [data-number] fields (a quantity, a count) are sent as JSON integers, never as strings.
import { Problem, api, newKey } from "./api.js";
import { confirmAction, toastAfterReload } from "./ui.js";

const MONEY = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;

function assign(target, path, value) {
  const parts = path.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) node = node[part] ??= {};
  const last = parts[parts.length - 1];
  if (value === undefined) return (node[last] ??= []);
  node[last] = value;
  return value;
}

function payload(form) {
  const body = {};
  for (const field of form.elements) {
    if (!field.name || field.disabled) continue;
    if (field.dataset.array !== undefined) {
      const list = assign(body, field.name, undefined);
      if (field.checked) list.push(field.value);
    } else if (field.type === "checkbox") {
      if (field.checked) assign(body, field.name, true);
    } else if (field.value !== "" && field.dataset.number !== undefined) {
      // Whole numbers only ("2", not "2.0"); anything else goes as typed for the server to refuse.
      assign(body, field.name, /^[0-9]{1,9}$/.test(field.value) ? Number(field.value) : field.value);
    } else if (field.value !== "") {
      // Taken exactly as typed: the server refuses a malformed amount rather than guessing.
      assign(body, field.name, field.value);
    }
  }
  return body;
}

function slotFor(form, name) {
  for (let n = name; n; n = n.includes(".") ? n.slice(0, n.lastIndexOf(".")) : "") {
    const slot = form.querySelector(`[data-error-for="${CSS.escape(n)}"]`);
    if (slot) return slot;
  }
  return null;
}

function markInvalid(form, name) {
  const field = form.elements.namedItem(name);
  if (field && "setAttribute" in field) field.setAttribute("aria-invalid", "true");
}

function clearErrors(form) {
  form.querySelectorAll("[data-error-for], [data-form-error]").forEach((el) => (el.textContent = ""));
  form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
}

function codeField(form, code) {
  for (const pair of (form.dataset.codeFields || "").split(/\s+/)) {
    const [known, name] = pair.split("=");
    if (code && known === code) return name;
  }
  return null;
}

// What a form shows when no answer came: the request may have run.
export const NO_ANSWER = { message: "No answer from the server: try again.", invalidParams: [] };

// A value-moving request failed. A refused one changed nothing and freed its Idempotency-Key,
// so the next try takes a new key; one still running keeps it, and so does one with no answer
// (it may have run), so that a retry is answered once.
export function showFailure(form, error) {
  if (!(error instanceof Problem)) return showProblem(form, NO_ANSWER);
  if (error.code !== "idempotency_key_in_use") delete form.dataset.key;
  return showProblem(form, error);
}

export function showProblem(form, problem) {
  // Field errors go next to their field; errors about the whole body (a model check) and
  // problems without fields go next to the form's main field, or under the form.
  const leftover = [];
  for (const param of problem.invalidParams || []) {
    const reason = param.reason.replace(/^Value error, /, "");
    const slot = slotFor(form, param.name);
    if (slot) {
      slot.textContent = reason;
      markInvalid(form, param.name);
    } else {
      leftover.push(reason);
    }
  }
  if (problem.invalidParams?.length && !leftover.length) return;
  const near = codeField(form, problem.code) || form.dataset.errorField;
  const slot = (near && slotFor(form, near)) || form.querySelector("[data-form-error]");
  if (near) markInvalid(form, near);
  if (slot) {
    slot.textContent = leftover.length ? leftover.join("; ") : problem.message;
    const action = wayForward(form, problem);
    if (action) slot.append(" ", action);
  }
}

// The next step a refusal offers: funds short → "Add funds" (the deposit, prefilled with what
// is missing); a price that changed → "Buy at <new price>" (the same buy, at the price now).
function wayForward(form, problem) {
  const body = problem.body || {};
  if (problem.code === "insufficient_funds") {
    const link = document.createElement("a");
    link.className = "btn small primary";
    const params = new URLSearchParams();
    if (body.missing) params.set("amount", body.missing);
    if (body.asset) params.set("asset", body.asset);
    // A buy that fell short: "Deposit and buy" (the wallet page buys once the deposit lands).
    const buy = /^POST \/api\/v1\/listings\/(\w+)\/buy$/.exec(form.dataset.api);
    const max = form.elements.namedItem("max_price");
    if (buy && max && form.dataset.card) {
      params.set("buy", buy[1]);
      params.set("max_price", max.value);
      params.set("card", form.dataset.card);
    }
    link.href = `/wallet?${params}#dep-title`;
    link.textContent = params.has("buy") ? "Deposit and buy" : "Add funds";
    return link;
  }
  const max = form.elements.namedItem("max_price");
  if (problem.code === "price_above_max" && body.price && max) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn small primary";
    button.textContent = `Buy at ${body.price} ${body.currency || ""}`.trim();
    button.addEventListener("click", () => {
      max.value = body.price;
      delete form.dataset.confirm; // this button is the confirmation of the new price
      form.requestSubmit();
    });
    return button;
  }
  return null;
}

function moneyIsValid(form) {
  let ok = true;
  for (const field of form.querySelectorAll("[data-money]")) {
    if (field.value !== "" && !MONEY.test(field.value)) {
      const slot = slotFor(form, field.name);
      if (slot) slot.textContent = "Enter a decimal amount such as 12.5 (no spaces or signs).";
      field.setAttribute("aria-invalid", "true");
      ok = false;
    }
  }
  return ok;
}

function setBusy(form, busy) {
  form.toggleAttribute("aria-busy", busy);
  form.querySelectorAll("button").forEach((b) => (b.disabled = busy));
  if (busy) form.dataset.busy = "1";
  else delete form.dataset.busy;
}

function succeed(form, result) {
  form.dispatchEvent(new CustomEvent("api:success", { detail: result, bubbles: true }));
  const mode = form.dataset.success || "reload";
  if (mode === "reload") {
    if (form.dataset.successMessage) toastAfterReload(form.dataset.successMessage);
    location.reload();
  } else if (mode === "redirect-trade") {
    location.assign(`/trades/${result.id}`);
  } else if (mode === "redirect-auction") {
    location.assign(`/auctions/${result.id}`);
  }
}

// The browser's own checks (required, pattern) run before "submit": say what is wrong next to
// the field, like the server's errors, instead of in a transient bubble.
document.addEventListener(
  "invalid",
  (event) => {
    const field = event.target;
    const form = field.form;
    if (!form || !form.matches("form[data-api]")) return;
    event.preventDefault();
    const slot = slotFor(form, field.name) || form.querySelector("[data-form-error]");
    if (slot) slot.textContent = field.dataset.money !== undefined && field.value !== ""
      ? "Enter a decimal amount such as 12.5 (no spaces or signs)."
      : field.validationMessage;
    field.setAttribute("aria-invalid", "true");
  },
  true,
);

document.addEventListener("submit", async (event) => {
  const form = event.target instanceof HTMLFormElement && event.target.closest("form[data-api]");
  if (!form) return;
  event.preventDefault();
  if (form.dataset.busy) return; // the first click is still in flight
  clearErrors(form);
  if (!moneyIsValid(form)) return;
  if (form.dataset.confirm && !(await confirmAction(form.dataset.confirm))) return;
  const [method, path] = form.dataset.api.split(" ");
  if (form.dataset.idempotent !== undefined && !form.dataset.key) form.dataset.key = newKey();
  setBusy(form, true);
  try {
    const body = method === "DELETE" ? undefined : payload(form);
    const result = await api(method, path, body, { idempotencyKey: form.dataset.key });
    delete form.dataset.key;
    succeed(form, result);
  } catch (error) {
    showFailure(form, error);
  } finally {
    setBusy(form, false);
  }
});
