// Cost previews: every <dl data-quote> shows what an action at a price costs, as the server
// computes it (GET /api/v1/market/quote: the split settlement applies), never recomputed here.
//
// data-company / data-side ("buy" | "sell")   what is quoted (data-primary: the company's own sale)
// data-price + data-currency                  a fixed price (a listing, an offer), or
// data-form                                   the id of a form whose price/currency fields it follows
import { api } from "./api.js";
import { DECIMALS, row } from "./amounts.js";

// Only prices the server would take: a price finer than the currency's decimals (or zero) is
// not asked for; the form's own check says what is wrong with it.
function quotable(price, currency) {
  const match = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/.exec(price);
  return Boolean(match) && (match[2] || "").length <= (DECIMALS[currency] ?? 0) && /[1-9]/.test(price);
}

const pct = (bps) => `${(bps / 100).toFixed(2).replace(/\.?0+$/, "")}%`;

async function show(list, price, currency) {
  const asked = `${price} ${currency}`;
  list.dataset.asked = asked;
  if (!quotable(price, currency)) {
    list.replaceChildren();
    list.hidden = true;
    return;
  }
  const params = new URLSearchParams({ company_id: list.dataset.company, price, currency, side: list.dataset.side });
  if (list.dataset.primary) params.set("primary", "true");
  let q;
  try {
    q = await api("GET", `/api/v1/market/quote?${params}`);
  } catch {
    return; // the preview is help, not a gate: the action's own answer still says what is wrong
  }
  if (list.dataset.asked !== asked) return; // a later keystroke asked again
  list.replaceChildren();
  row(list, "Price", `${q.price} ${currency}`);
  const payer = q.side === "buy" ? " (paid by the seller, out of the price)" : "";
  row(list, `Platform fee ${pct(q.fee_bps)}`, `${q.fee} ${currency}${payer}`);
  row(list, `Royalty ${pct(q.royalty_bps)}`, `${q.royalty} ${currency}${payer}`);
  if (q.side === "buy") row(list, "You pay", `${q.you_pay} ${currency}`, true);
  else row(list, "You receive", `${q.you_receive} ${currency}`, true);
  if (list.dataset.duration) row(list, "Duration", list.dataset.duration);
  list.hidden = false;
}

for (const list of document.querySelectorAll("dl[data-quote]")) {
  if (list.dataset.form) {
    const form = document.getElementById(list.dataset.form);
    const price = form.elements.namedItem("price");
    const currency = form.elements.namedItem("currency");
    const follow = () => show(list, price.value.trim(), currency ? currency.value : list.dataset.currency);
    form.addEventListener("input", follow);
    form.addEventListener("change", follow);
    if (price.value) follow();
  } else {
    show(list, list.dataset.price, list.dataset.currency);
  }
}
