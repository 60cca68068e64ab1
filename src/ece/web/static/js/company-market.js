// The company page's market tools: the sweep cart (the N cheapest listings, or the ones ticked
// in "Cheapest listings", bought in one POST /api/v1/sweeps under one confirmation) and the
// collection offer form's hold preview. Every amount is exact (base units as BigInt).
import { Problem, api, newKey } from "./api.js";
import { fromUnits, row, toUnits } from "./amounts.js";
import { NO_ANSWER, showFailure, showProblem } from "./forms.js";
import { confirmAction, toastAfterReload } from "./ui.js";

const MAX_SWEEP = 50;
const form = /** @type {HTMLFormElement | null} */ (document.getElementById("sweep-form"));
const ticked = new Set(); // listing ids ticked in "Cheapest listings" (kept across live updates)
let cart = []; // what "Buy the cart" buys: [{id, name, price, currency, primary}]
let total = 0n;
let followTotal = true; // the maximum follows the cart's total until the buyer types their own
let asked = 0;

const field = (name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name));
const slot = (name) => form.querySelector(`[data-error-for="${name}"]`);

function say(name, text) {
  const target = name ? slot(name) : form.querySelector("[data-form-error]");
  if (target) target.textContent = text;
  if (name) field(name).setAttribute("aria-invalid", "true");
}

function clear() {
  form.querySelectorAll("[data-error-for], [data-form-error]").forEach((el) => (el.textContent = ""));
  form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
}

function tickedListings() {
  return [...document.querySelectorAll("input[data-sweep-pick]")]
    .filter((box) => ticked.has(box.value))
    .map((box) => ({
      id: box.value,
      name: box.dataset.name,
      price: box.dataset.price,
      currency: box.dataset.currency,
      primary: false,
    }));
}

async function cheapestListings() {
  const count = Number(field("count").value);
  if (!Number.isInteger(count) || count < 1 || count > MAX_SWEEP) {
    say("count", `Between 1 and ${MAX_SWEEP} cards.`);
    return [];
  }
  const params = new URLSearchParams({
    company: form.dataset.company,
    currency: field("currency").value,
    sort: "price_asc",
    limit: String(count + 20), // the buyer's own listings are left out below
  });
  if (field("rarity").value) params.set("rarity", field("rarity").value);
  const page = await api("GET", `/api/v1/listings?${params}`);
  const me = document.body.dataset.address;
  return page.items
    .filter((l) => !(l.seller.kind === "user" && l.seller.address === me))
    .slice(0, count)
    .map((l) => ({ id: l.id, name: l.card_name, price: l.price, currency: l.currency, primary: l.seller.kind === "issuer" }));
}

// What the cart costs, by the server's quote for each distinct price (the buyer pays the
// price; fee and royalty come out of the sellers' side).
async function youPay(listings, currency) {
  const quotes = new Map();
  for (const l of listings) quotes.set(`${l.price}|${l.primary}`, l);
  const paid = new Map();
  await Promise.all(
    [...quotes].map(async ([key, l]) => {
      const params = new URLSearchParams({ company_id: form.dataset.company, price: l.price, currency, side: "buy" });
      if (l.primary) params.set("primary", "true");
      paid.set(key, (await api("GET", `/api/v1/market/quote?${params}`)).you_pay);
    }),
  );
  return listings.reduce((sum, l) => sum + toUnits(paid.get(`${l.price}|${l.primary}`), currency), 0n);
}

function showCart(listings, note) {
  const list = form.querySelector("[data-testid=sweep-cart]");
  list.replaceChildren(
    ...listings.map((l) => {
      const item = document.createElement("li");
      item.textContent = `${l.name} · ${l.price} ${l.currency}`;
      return item;
    }),
  );
  if (!listings.length) {
    const item = document.createElement("li");
    item.className = "muted";
    item.textContent = note || "Nothing in the cart.";
    list.append(item);
  }
}

function showPreview(currency, wanted) {
  const preview = form.querySelector("[data-testid=sweep-preview]");
  preview.replaceChildren();
  preview.hidden = !cart.length;
  if (!cart.length) return;
  row(preview, "Cards", wanted && wanted > cart.length ? `${cart.length} (only ${cart.length} of ${wanted} for sale)` : String(cart.length));
  row(preview, "Fee and royalty", "paid by the sellers, out of the prices");
  row(preview, "You pay", `${fromUnits(total, currency)} ${currency}`, true);
  if (followTotal) field("max_total").value = fromUnits(total, currency);
}

async function refresh() {
  const mine = ++asked;
  clear();
  delete form.dataset.key; // another cart is another request
  const byTick = form.elements.namedItem("pick").value === "ticked";
  form.querySelector("[data-cheapest-only]").hidden = byTick;
  let listings = [];
  try {
    listings = byTick ? tickedListings() : await cheapestListings();
    const currencies = new Set(listings.map((l) => l.currency));
    if (currencies.size > 1) {
      if (mine !== asked) return;
      cart = [];
      showCart([], "Tick listings in one currency: a sweep pays in one.");
      showPreview("", 0);
      return;
    }
    const currency = listings.length ? listings[0].currency : field("currency").value;
    const cost = await youPay(listings, currency);
    if (mine !== asked) return; // a later change asked again
    cart = listings;
    total = cost;
    showCart(listings, byTick ? "Tick listings above to add them." : "No listings for sale.");
    showPreview(currency, byTick ? 0 : Number(field("count").value));
  } catch (error) {
    if (mine !== asked) return;
    cart = [];
    showCart([], "");
    showPreview("", 0);
    showProblem(form, error instanceof Problem ? error : NO_ANSWER);
  }
}

function setBusy(busy) {
  form.toggleAttribute("aria-busy", busy);
  form.querySelectorAll("button").forEach((b) => (b.disabled = busy));
  if (busy) form.dataset.busy = "1";
  else delete form.dataset.busy;
}

async function buy(event) {
  event.preventDefault();
  if (form.dataset.busy) return;
  clear();
  if (!cart.length) return say("", "The cart is empty.");
  const currency = cart[0].currency;
  const maxTotal = field("max_total").value.trim();
  const max = toUnits(maxTotal, currency);
  if (max === null || max === 0n) return say("max_total", `Enter a ${currency} amount such as 12.5 (no spaces or signs).`);
  if (max < total) return say("max_total", `The cart costs ${fromUnits(total, currency)} ${currency}: raise the maximum or take cards out.`);
  const names = cart.map((l) => l.name).join(", ");
  const count = cart.length === 1 ? "1 card" : `${cart.length} cards`;
  const text = `Buy ${count} (${names}) for ${fromUnits(total, currency)} ${currency} in total, at most ${maxTotal} ${currency}? All of them or none.`;
  if (!(await confirmAction(text))) return;
  form.dataset.key ||= newKey();
  setBusy(true);
  try {
    const body = { listing_ids: cart.map((l) => l.id), currency, max_total: maxTotal };
    const result = await api("POST", "/api/v1/sweeps", body, { idempotencyKey: form.dataset.key });
    delete form.dataset.key;
    const bought = result.trades.length === 1 ? "1 card" : `${result.trades.length} cards`;
    toastAfterReload(`Bought ${bought} for ${result.total} ${result.currency}. They are in your cards.`);
    location.reload();
  } catch (error) {
    showFailure(form, error);
  } finally {
    setBusy(false);
  }
}

let pending = null;
const soon = () => {
  clearTimeout(pending);
  pending = setTimeout(refresh, 250);
};

if (form) {
  form.addEventListener("submit", buy);
  form.addEventListener("input", (event) => {
    if (event.target === field("max_total")) followTotal = field("max_total").value === "";
    else soon();
  });
  form.addEventListener("change", (event) => event.target !== field("max_total") && soon());
  document.addEventListener("change", (event) => {
    const box = event.target;
    if (!(box instanceof HTMLInputElement) || box.dataset.sweepPick === undefined) return;
    if (box.checked) ticked.add(box.value);
    else ticked.delete(box.value);
    if (box.checked) form.querySelector("input[name=pick][value=ticked]").checked = true;
    soon();
  });
  // A live update redraws "Cheapest listings": the ticks stay on the listings still for sale.
  const listings = document.querySelector('[data-live-region="listings"]');
  new MutationObserver(() => {
    const shown = new Set();
    for (const box of document.querySelectorAll("input[data-sweep-pick]")) {
      shown.add(box.value);
      box.checked = ticked.has(box.value);
    }
    for (const id of [...ticked]) if (!shown.has(id)) ticked.delete(id);
    if (form.elements.namedItem("pick").value === "ticked") soon();
  }).observe(listings.parentElement, { childList: true });
  refresh();
}

// The collection offer: what it holds from the balance (price × quantity), before it is made.
const offer = document.getElementById("coffer-form");
if (offer) {
  const preview = offer.querySelector("[data-testid=coffer-preview]");
  const follow = () => {
    const currency = offer.elements.namedItem("currency").value;
    const price = toUnits(offer.elements.namedItem("price").value.trim(), currency);
    const quantityText = offer.elements.namedItem("quantity").value;
    preview.replaceChildren();
    preview.hidden = !(price && /^[1-9][0-9]{0,2}$/.test(quantityText));
    if (preview.hidden) return;
    const quantity = BigInt(quantityText);
    row(preview, "Per card", `${fromUnits(price, currency)} ${currency}`);
    row(preview, "Cards wanted", quantityText);
    row(preview, "Held from your balance", `${fromUnits(price * quantity, currency)} ${currency}`, true);
  };
  offer.addEventListener("input", follow);
  offer.addEventListener("change", follow);
}
