// The auctions page: the chosen tab (live, upcoming, ended) read from GET /api/v1/auctions,
// "Load more" by cursor, and the first page read again when the socket reports a change to a
// shown auction or a new or finished one (polled every few seconds only while the socket is
// down), while nothing more has been loaded. Countdowns tick locally.
import { auctionTile, getJson } from "./auction-view.js";
import { isConnected, subscribe } from "./live.js";

const REFRESH_MS = 5000;
const PAGE = 24;
const root = document.querySelector("[data-auction-list]");
const list = root.querySelector("[data-auction-items]");
const empty = root.querySelector("[data-auction-empty]");
const error = root.querySelector("[data-auction-error]");
const more = root.querySelector("[data-auction-more]");
let cursor = null;
let pages = 0;

function query(next) {
  const params = new URLSearchParams({ status: root.dataset.status, sort: root.dataset.sort, limit: String(PAGE) });
  if (root.dataset.company) params.set("company", root.dataset.company);
  if (root.dataset.currency) params.set("currency", root.dataset.currency);
  if (next) params.set("cursor", next);
  return `/api/v1/auctions?${params}`;
}

async function load(next) {
  try {
    const page = await getJson(query(next));
    const tiles = page.items.map(auctionTile);
    for (const item of page.items) subscribe(`auction:${item.id}`, changed);
    if (next) list.append(...tiles);
    else list.replaceChildren(...tiles);
    if (!next || pages === 0) pages = 1;
    if (next) pages += 1;
    cursor = page.next_cursor || null;
    more.hidden = !cursor;
    empty.hidden = list.children.length > 0;
    error.textContent = "";
  } catch (problem) {
    error.textContent = problem.message || "Could not load the auctions.";
  }
}

let burst = null;
function changed() {
  clearTimeout(burst);
  burst = setTimeout(() => pages <= 1 && load(null), 200);
}

more.addEventListener("click", () => cursor && load(cursor));
subscribe("market", (event) => event.event.startsWith("auction.") && changed());
load(null);
setInterval(() => {
  if (!document.hidden && pages <= 1 && !isConnected()) load(null);
}, REFRESH_MS);
