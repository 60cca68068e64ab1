// What the auction pages share: reading the JSON API with the server's clock, countdowns that
// tick every second, and an auction drawn as a tile. Until a real-time channel exists the pages
// poll the JSON API; every time shown is corrected to the server's clock (its Date header).
import { Problem } from "./api.js";

let skewMs = 0; // server clock minus this browser's clock

export function serverNow() {
  return Date.now() + skewMs;
}

/** GET a JSON path; learns the server's clock from the answer. */
export async function getJson(path) {
  const sent = Date.now();
  const response = await fetch(path, {
    headers: { Accept: "application/json, application/problem+json" },
    credentials: "same-origin",
  });
  const date = Date.parse(response.headers.get("Date") || "");
  // The Date header has whole seconds: take the middle of the round trip, keep the skew only
  // when it is larger than that resolution.
  if (!Number.isNaN(date)) {
    const seen = date + 500 - (sent + Date.now()) / 2;
    if (Math.abs(seen) > 1000) skewMs = seen;
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new Problem(response.status, data);
  return data;
}

/** An address from the API: a string, or an object carrying one. */
export function addressOf(value) {
  if (!value) return "";
  if (typeof value === "string") return value;
  return value.address || value.display_name || "";
}

export function short(address) {
  return address.length <= 12 ? address : `${address.slice(0, 4)}…${address.slice(-4)}`;
}

/** Compare two non-negative decimal strings without floats: -1, 0 or 1. */
export function compareAmounts(a, b) {
  const [ai, af = ""] = String(a).split(".");
  const [bi, bf = ""] = String(b).split(".");
  if (ai.length !== bi.length) return ai.length < bi.length ? -1 : 1;
  if (ai !== bi) return ai < bi ? -1 : 1;
  const width = Math.max(af.length, bf.length);
  const x = af.padEnd(width, "0");
  const y = bf.padEnd(width, "0");
  return x === y ? 0 : x < y ? -1 : 1;
}

/** "2d 03:04:05", "03:04:05" or "00:00:00" for a duration in milliseconds. */
export function formatCountdown(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86400);
  const pad = (n) => String(n).padStart(2, "0");
  const clock = `${pad(Math.floor((total % 86400) / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
  return days ? `${days}d ${clock}` : clock;
}

export function formatTime(iso) {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return "";
  return at.toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

export function isLive(auction) {
  return auction.status === "live";
}

/** The moment a countdown runs to: the start of an upcoming auction, else its end. */
export function countdownTarget(auction) {
  return auction.status === "upcoming" && auction.starts_at ? auction.starts_at : auction.ends_at;
}

export function countdownLabel(auction) {
  if (auction.status === "upcoming") return "Starts in";
  if (isLive(auction)) return "Ends in";
  return "Ended";
}

/** Tick every countdown on the page: elements with data-countdown-to (an ISO time). */
function tick() {
  document.querySelectorAll("[data-countdown-to]").forEach((el) => {
    const to = Date.parse(el.dataset.countdownTo);
    if (Number.isNaN(to)) return;
    const left = to - serverNow();
    el.textContent = left > 0 ? formatCountdown(left) : "ending…";
    el.setAttribute("datetime", el.dataset.countdownTo);
  });
}
setInterval(tick, 1000);

export function setCountdown(el, auction) {
  if (!el) return;
  if (isLive(auction) || auction.status === "upcoming") {
    el.dataset.countdownTo = countdownTarget(auction);
    tick();
  } else {
    delete el.dataset.countdownTo;
    el.textContent = formatTime(auction.ended_at || auction.ends_at);
  }
}

export function cardName(auction) {
  return auction.card_name || auction.card?.name || "Card";
}

export function cardId(auction) {
  return auction.card_id || auction.card?.id || "";
}

function span(className, text) {
  const el = document.createElement("span");
  el.className = className;
  el.textContent = text;
  return el;
}

const names = new Map(); // card id -> Promise of its name, read once per page

/** A card's name, from GET /api/v1/cards/{id} when the auction does not carry it. */
function nameOf(id) {
  if (!names.has(id)) {
    names.set(id, getJson(`/api/v1/cards/${encodeURIComponent(id)}`).then((c) => c.name, () => ""));
  }
  return names.get(id);
}

/** An auction as a tile (a link to its page) with a ticking countdown. */
export function auctionTile(auction) {
  const item = document.createElement("li");
  item.className = "tile auction-tile";
  item.dataset.auctionId = auction.id;
  const link = document.createElement("a");
  link.href = `/auctions/${encodeURIComponent(auction.id)}`;
  const id = cardId(auction);
  if (id) {
    const img = document.createElement("img");
    img.src = `/api/v1/cards/${encodeURIComponent(id)}/image.svg`;
    img.alt = "";
    img.loading = "lazy";
    img.width = 300;
    img.height = 420;
    link.append(img);
  }
  const meta = span("tile-meta", "");
  meta.append(
    span("badge", auction.type === "dutch" ? "Dutch" : "English"),
    span("", `${auction.bid_count ?? 0} bid${auction.bid_count === 1 ? "" : "s"}`),
  );
  const time = document.createElement("time");
  time.className = "countdown";
  const when = span("tile-when muted", `${countdownLabel(auction)} `);
  when.append(time);
  const name = span("tile-name", cardName(auction));
  if (!auction.card_name && !auction.card?.name && id) {
    nameOf(id).then((text) => text && (name.textContent = text));
  }
  link.append(
    name,
    meta,
    span("tile-price", `${auction.current_price} ${auction.currency || ""}`.trim()),
    when,
  );
  setCountdown(time, auction);
  item.append(link);
  return item;
}
