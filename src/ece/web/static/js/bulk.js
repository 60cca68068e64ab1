// "My cards" bulk actions, each under one confirmation: list the ticked cards by one price rule
// (POST /api/v1/listings/batch) and cancel the ticked listings (POST /api/v1/listings/batch-cancel).
// All of them or none: a refused card is named, and nothing is listed or cancelled.
import { Problem, api, newKey } from "./api.js";
import { fromUnits, row, toUnits } from "./amounts.js";
import { showFailure } from "./forms.js";
import { confirmAction, toastAfterReload } from "./ui.js";

const MAX_BATCH = 100;
const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
const picked = (form) => [...form.querySelectorAll("input.tile-pick:checked")];

function counted(form) {
  const boxes = form.querySelectorAll("input.tile-pick");
  const n = picked(form).length;
  form.querySelector("[data-selected-count]").textContent = `${n} selected`;
  const all = form.querySelector("[data-select-all]");
  all.checked = n > 0 && n === boxes.length;
  all.indeterminate = n > 0 && n < boxes.length;
  form.dispatchEvent(new Event("picked"));
}

function clear(form) {
  form.querySelectorAll("[data-error-for], [data-form-error]").forEach((el) => (el.textContent = ""));
  form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
}

function say(form, name, text) {
  const slot = form.querySelector(name ? `[data-error-for="${name}"]` : "[data-form-error]");
  slot.textContent = text;
  if (name) form.elements.namedItem(name).setAttribute("aria-invalid", "true");
}

function setBusy(form, busy) {
  form.toggleAttribute("aria-busy", busy);
  form.querySelectorAll("button").forEach((b) => (b.disabled = busy));
  if (busy) form.dataset.busy = "1";
  else delete form.dataset.busy;
}

// A refused batch names each card it refused, with the reason a single call would give.
function refused(form, error, names) {
  const failed = (error instanceof Problem && error.body.failed) || [];
  if (!failed.length) return showFailure(form, error);
  if (error.code !== "idempotency_key_in_use") delete form.dataset.key;
  const lines = failed.map((f) => `${names[f.card_id || f.listing_id] || "A card"}: ${f.detail}`);
  say(form, "", `${error.message} ${lines.join("; ")}`);
}

async function send(form, path, body, names, done) {
  form.dataset.key ||= newKey();
  setBusy(form, true);
  try {
    const result = await api("POST", path, body, { idempotencyKey: form.dataset.key });
    delete form.dataset.key;
    toastAfterReload(done(result));
    location.reload();
  } catch (error) {
    refused(form, error, names);
  } finally {
    setBusy(form, false);
  }
}

// --- listing ---------------------------------------------------------------------------------

// Each ticked card's price by the rule: one price for all, or its company's floor ± percent
// (rounded down to the base unit). Returns {items, currency} or {field, error}.
function plan(form) {
  const rule = form.elements.namedItem("rule").value;
  const currency = form.elements.namedItem("currency").value;
  const boxes = picked(form);
  if (!boxes.length) return { field: "", error: "Tick the cards to list." };
  if (boxes.length > MAX_BATCH) return { field: "", error: `At most ${MAX_BATCH} cards at once.` };
  let fixed = null;
  let percent = 0;
  if (rule === "fixed") {
    fixed = toUnits(form.elements.namedItem("price").value.trim(), currency);
    if (!fixed) return { field: "price", error: `Enter a ${currency} price such as 12.5 (no spaces or signs).` };
  } else {
    percent = Number(form.elements.namedItem("percent").value || "0");
    if (!Number.isInteger(percent) || percent < -90 || percent > 1000) {
      return { field: "percent", error: "A whole number from -90 to 1000." };
    }
  }
  const key = `floor${currency[0]}${currency.slice(1).toLowerCase()}`;
  const items = [];
  for (const box of boxes) {
    let units = fixed;
    if (units === null) {
      const floor = box.dataset[key] ? toUnits(box.dataset[key], currency) : null;
      if (!floor) return { field: "", error: `${box.dataset.name} has no ${currency} floor: use one price for each.` };
      units = (floor * BigInt(100 + percent)) / 100n;
      if (units <= 0n) return { field: "percent", error: `${box.dataset.name} would be listed for nothing.` };
    }
    items.push({ card_id: box.value, name: box.dataset.name, company: box.dataset.company, price: fromUnits(units, currency) });
  }
  return { items, currency };
}

function priceText(items, currency) {
  const prices = items.map((i) => toUnits(i.price, currency)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const [low, high] = [prices[0], prices[prices.length - 1]];
  if (low === high) return `${fromUnits(low, currency)} ${currency} each`;
  return `${fromUnits(low, currency)} to ${fromUnits(high, currency)} ${currency}`;
}

// What the seller receives if every card sells, by the server's quote per company and price.
async function proceeds(items, currency) {
  const groups = new Map();
  for (const i of items) {
    const key = `${i.company}|${i.price}`;
    groups.set(key, [...(groups.get(key) || []), i]);
  }
  let receive = 0n;
  let cut = 0n;
  await Promise.all(
    [...groups.values()].map(async (group) => {
      const { company, price } = group[0];
      const params = new URLSearchParams({ company_id: company, price, currency, side: "sell" });
      const q = await api("GET", `/api/v1/market/quote?${params}`);
      const n = BigInt(group.length);
      receive += toUnits(q.you_receive, currency) * n;
      cut += (toUnits(q.fee, currency) + toUnits(q.royalty, currency)) * n;
    }),
  );
  return { receive, cut };
}

function setupList(form) {
  const preview = form.querySelector("[data-testid=bulk-list-preview]");
  let asked = 0;
  let last = null; // the plan and proceeds the preview shows

  async function refresh() {
    const mine = ++asked;
    delete form.dataset.key; // another selection or price is another request
    const floorRule = form.elements.namedItem("rule").value === "floor";
    form.querySelector("[data-rule=floor]").hidden = !floorRule;
    form.querySelector("#f-bulk-price").closest(".field").hidden = floorRule;
    const p = plan(form);
    preview.replaceChildren();
    preview.hidden = true;
    last = null;
    if (!p.items) return;
    let money;
    try {
      money = await proceeds(p.items, p.currency);
    } catch {
      return; // the preview is help; the listing's own answer says what is wrong
    }
    if (mine !== asked) return;
    last = { ...p, ...money };
    row(preview, "Cards", String(p.items.length));
    row(preview, "Price", priceText(p.items, p.currency));
    row(preview, "Fee and royalty, if all sell", `${fromUnits(money.cut, p.currency)} ${p.currency}`);
    row(preview, "You receive, if all sell", `${fromUnits(money.receive, p.currency)} ${p.currency}`, true);
    preview.hidden = false;
  }

  let pending = null;
  const soon = () => {
    clearTimeout(pending);
    pending = setTimeout(refresh, 200);
  };
  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
  form.addEventListener("picked", soon);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (form.dataset.busy) return;
    clear(form);
    const p = plan(form);
    if (!p.items) return say(form, p.field, p.error);
    const money = last && last.items.length === p.items.length ? last : await proceeds(p.items, p.currency).catch(() => null);
    const after = money ? ` If all sell you receive ${fromUnits(money.receive, p.currency)} ${p.currency}, after fee and royalty.` : "";
    const text = `List ${plural(p.items.length, "card", "cards")} at ${priceText(p.items, p.currency)}?${after}`;
    if (!(await confirmAction(text))) return;
    const names = Object.fromEntries(p.items.map((i) => [i.card_id, i.name]));
    const items = p.items.map((i) => ({ card_id: i.card_id, price: i.price, currency: p.currency }));
    await send(form, "/api/v1/listings/batch", { items, mode: "all_or_nothing" }, names, (r) => `Listed ${plural(r.listed, "card", "cards")}.`);
  });
}

// --- cancelling ------------------------------------------------------------------------------

function setupCancel(form) {
  form.addEventListener("picked", () => delete form.dataset.key);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (form.dataset.busy) return;
    clear(form);
    const boxes = picked(form);
    if (!boxes.length) return say(form, "", "Tick the listings to cancel.");
    if (boxes.length > MAX_BATCH) return say(form, "", `At most ${MAX_BATCH} listings at once.`);
    const names = Object.fromEntries(boxes.map((b) => [b.value, b.dataset.name]));
    const text = `Cancel ${plural(boxes.length, "listing", "listings")}? The cards are free again to list, trade or auction.`;
    if (!(await confirmAction(text))) return;
    const body = { listing_ids: boxes.map((b) => b.value), mode: "all_or_nothing" };
    await send(form, "/api/v1/listings/batch-cancel", body, names, (r) => `Cancelled ${plural(r.cancelled, "listing", "listings")}.`);
  });
}

for (const form of document.querySelectorAll("form.bulk")) {
  form.querySelector("[data-select-all]").addEventListener("change", (event) => {
    for (const box of form.querySelectorAll("input.tile-pick")) box.checked = event.target.checked;
    counted(form);
  });
  form.addEventListener("change", (event) => {
    if (event.target instanceof HTMLInputElement && event.target.classList.contains("tile-pick")) counted(form);
  });
}
const listForm = document.getElementById("bulk-list");
if (listForm) setupList(listForm);
const cancelForm = document.getElementById("bulk-cancel");
if (cancelForm) setupCancel(cancelForm);
