// One auction: read from GET /api/v1/auctions/{id} and read again on each event of its
// WebSocket channel (polled every two seconds while live only when the socket is down),
// with its bids, the signed-in user's own maximum, the bid form (minimum next bid), buy now
// (English) or buy at the current price (Dutch), the seller's cancel, and a notice when a late
// bid moves the end (soft close).
import {
  addressOf,
  cardId,
  cardName,
  compareAmounts,
  countdownLabel,
  formatTime,
  getJson,
  isLive,
  setCountdown,
  short,
} from "./auction-view.js";
import { isConnected, onConnection, subscribe } from "./live.js";
import { toast } from "./ui.js";

const LIVE_MS = 2000;
const WAITING_MS = 5000;
const page = document.querySelector("[data-auction]");
const id = page.dataset.auction;
const me = document.body.dataset.address;
const signedIn = Boolean(page.dataset.signedIn);
const forms = {
  bid: document.getElementById("bid-form"),
  buy: document.getElementById("buy-form"),
  cancel: document.getElementById("cancel-form"),
};
const errorBox = page.querySelector("[data-auction-error]");
let seenEndsAt = null;
let card = null;
let timer = null;

function field(name, text) {
  document.querySelectorAll(`[data-field="${name}"]`).forEach((el) => (el.textContent = text ?? ""));
}

function shown(el, visible) {
  if (el) el.hidden = !visible;
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

async function showCard(auction) {
  const cid = cardId(auction);
  if (!cid || card) return;
  card = await getJson(`/api/v1/cards/${encodeURIComponent(cid)}`).catch(() => null);
  const image = document.querySelector('[data-field="card_image"]');
  image.src = `/api/v1/cards/${encodeURIComponent(cid)}/image.svg`;
  image.alt = card ? `${card.name}, ${card.rarity} card of ${card.company.name}` : "";
  image.hidden = false;
  document.querySelector('[data-field="card_link"]').href = `/cards/${encodeURIComponent(cid)}`;
  field("card_name", card ? card.name : cardName(auction));
  field("card_serial", card ? card.serial : "");
  if (card) {
    const company = document.querySelector('[data-field="company_link"]');
    company.href = `/companies/${encodeURIComponent(card.company.ticker)}`;
    company.textContent = card.company.name;
    document.title = `${card.name} auction · Elite Card Exchange`;
  }
}

/** A later end than the one seen before: a bid in the last minutes extended the auction. */
function noticeExtension(endsAt) {
  if (seenEndsAt && Date.parse(endsAt) > Date.parse(seenEndsAt)) {
    const notice = document.querySelector('[data-testid="auction-extended"]');
    notice.textContent = `Extended: a late bid moved the end to ${formatTime(endsAt)}. Every bid in the last minutes extends it again.`;
    notice.hidden = false;
  }
  seenEndsAt = endsAt;
}

function showOutcome(auction) {
  const box = document.querySelector('[data-testid="auction-winner"]');
  if (isLive(auction) || auction.status === "upcoming") return shown(box, false);
  const winner = addressOf(auction.winner);
  if (auction.status === "cancelled") box.textContent = "Cancelled by the seller.";
  else if (!winner) box.textContent = "Ended without a sale: the card went back to the seller.";
  else if (winner === me) box.textContent = `You won at ${auction.current_price} ${auction.currency || ""}.`;
  else box.textContent = `Won by ${short(winner)} at ${auction.current_price} ${auction.currency || ""}.`;
  shown(box, true);
}

function showForms(auction) {
  const seller = addressOf(auction.seller ?? auction.seller_address);
  const mine = Boolean(me) && seller === me;
  const live = isLive(auction);
  const dutch = auction.type === "dutch";
  const price = `${auction.current_price} ${auction.currency || ""}`.trim();
  shown(forms.bid, live && !dutch && !mine);
  if (forms.bid) field("min_next_bid", `${auction.min_next_bid ?? ""} ${auction.currency || ""}`.trim());
  const input = forms.bid?.elements.namedItem("max_amount");
  if (input) input.placeholder = auction.min_next_bid ? `${auction.min_next_bid} or more` : "";
  const canBuy = live && !mine && (dutch || Boolean(auction.buy_now_available));
  shown(forms.buy, canBuy);
  if (forms.buy) {
    const buyPrice = dutch ? price : `${auction.buy_now_price ?? ""} ${auction.currency || ""}`.trim();
    const label = dutch ? `Buy now at ${price}` : auction.buy_now_price ? `Buy now for ${buyPrice}` : "Buy now";
    field("buy_label", label);
    forms.buy.dataset.confirm = dutch
      ? `Buy at the current price? It falls over time: you pay the price at the moment the server settles your purchase (now ${price}).`
      : `Buy now${auction.buy_now_price ? ` for ${buyPrice}` : ""}? The auction ends at once and every bid is released.`;
  }
  const noBids = !auction.bid_count;
  shown(forms.cancel, mine && noBids && (live || auction.status === "upcoming"));
  shown(document.querySelector("[data-signin-to-bid]"), !signedIn && live);
}

function render(auction) {
  errorBox.textContent = "";
  const dutch = auction.type === "dutch";
  field("type", dutch ? "Dutch" : "English");
  field("status", auction.status);
  field("price_label", dutch ? "Price now (falling)" : auction.bid_count ? "Current price" : "Starting price");
  field("current_price", auction.current_price);
  field("currency", auction.currency);
  field("countdown_label", countdownLabel(auction));
  setCountdown(document.querySelector('[data-field="countdown"]'), auction);
  field("ends_at_text", isLive(auction) ? `(${formatTime(auction.ends_at)})` : "");
  noticeExtension(auction.ends_at);
  field("bid_count_text", dutch ? "" : plural(auction.bid_count ?? 0, "bid"));
  const leader = addressOf(auction.high_bidder);
  field("high_bidder_text", leader ? `· highest bidder ${leader === me ? "you" : short(leader)}` : "");
  const reserve = document.querySelector('[data-testid="auction-reserve"]');
  if (typeof auction.reserve_met === "boolean" && !dutch && auction.has_reserve !== false) {
    reserve.textContent = auction.reserve_met ? "Reserve met" : "Reserve not met";
    reserve.hidden = false;
  } else {
    reserve.hidden = true;
  }
  field(
    "rules_text",
    dutch
      ? "The price falls until someone buys; the first buyer takes the card."
      : "Your maximum is held from your balance; you pay one increment above the next-highest maximum, never more than your own. A bid in the last minutes extends the end.",
  );
  showOutcome(auction);
  showForms(auction);
  shown(page.querySelector("[data-auction-body]"), true);
}

async function showBids() {
  const section = document.querySelector("[data-auction-bids]");
  const page_ = await getJson(`/api/v1/auctions/${encodeURIComponent(id)}/bids?limit=50`);
  const rows = page_.items.map((bid) => {
    const row = document.createElement("tr");
    const who = addressOf(bid.bidder ?? bid.bidder_address);
    const cells = [
      who === me ? "you" : short(who),
      `${bid.price ?? bid.visible_price ?? bid.amount ?? ""} ${bid.currency || ""}`.trim(),
      formatTime(bid.placed_at ?? bid.created_at),
    ];
    cells.forEach((text, i) => {
      const cell = document.createElement("td");
      cell.textContent = text;
      if (i === 1) cell.className = "num";
      row.append(cell);
    });
    return row;
  });
  section.querySelector("tbody").replaceChildren(...rows);
  section.hidden = rows.length === 0;
}

async function showMyMax() {
  if (!signedIn || !forms.bid) return;
  const mine = await getJson("/api/v1/users/me/bids?limit=100");
  const here = mine.items.filter((b) => b.auction_id === id);
  if (!here.length) return field("my_max_text", "");
  const top = here.reduce((a, b) => (compareAmounts(a.max_amount, b.max_amount) >= 0 ? a : b));
  const state = top.status ? ` (${String(top.status).replace(/_/g, " ")})` : "";
  field("my_max_text", `· your maximum ${top.max_amount}${state}`);
}

async function refresh() {
  clearTimeout(timer);
  let auction = null;
  try {
    auction = await getJson(`/api/v1/auctions/${encodeURIComponent(id)}`);
    render(auction);
    await showCard(auction);
    await Promise.all([showBids(), showMyMax()]);
  } catch (problem) {
    errorBox.textContent = problem.status === 404 ? "No such auction." : problem.message || "Could not load the auction.";
    if (problem.status === 404) {
      field("status", "not found");
      return;
    }
  }
  // Live: the socket's auction channel says when anything changes; without the socket, every
  // two seconds. Upcoming, or a live auction whose end has passed but is not settled yet:
  // a little slower (the start is a matter of time, not an event). Settled: done.
  const live = Boolean(auction && isLive(auction));
  if ((!auction || live || auction.status === "upcoming") && !(live && isConnected())) {
    timer = setTimeout(refresh, live ? LIVE_MS : WAITING_MS);
  }
}

forms.bid?.addEventListener("api:success", (event) => {
  const result = event.detail;
  const price = `${result.current_price}`;
  forms.bid.elements.namedItem("max_amount").value = "";
  toast(
    result.status === "winning"
      ? `You are the highest bidder at ${price}.`
      : `Outbid at once: another maximum is higher. The price is now ${price}.`,
  );
  if (result.ends_at) noticeExtension(result.ends_at);
  refresh();
});
forms.buy?.addEventListener("api:success", () => {
  toast("Bought! It is in your cards.");
  refresh();
});
forms.cancel?.addEventListener("api:success", () => {
  toast("Auction cancelled.");
  refresh();
});
document.addEventListener("visibilitychange", () => !document.hidden && refresh());

refresh();

// Events come in bursts (a bid, an extension, an outbid): one read for each burst.
let burst = null;
subscribe(`auction:${id}`, () => {
  clearTimeout(burst);
  burst = setTimeout(refresh, 100);
});
// Down: poll again from now. Back up: read once, what was missed is replayed anyway.
onConnection(() => refresh());
