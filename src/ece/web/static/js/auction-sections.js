// Auctions inside other pages: the live auctions strip (explore, company pages), the auction a
// card is in (card page), and the form that starts an auction of one's card.
import { auctionTile, countdownLabel, getJson, setCountdown } from "./auction-view.js";

const REFRESH_MS = 5000;

async function fillStrip(strip) {
  try {
    const page = await getJson(`/api/v1/auctions?${strip.dataset.query}`);
    strip.querySelector("[data-auction-items]").replaceChildren(...page.items.map(auctionTile));
    strip.querySelector("[data-auction-empty]").hidden = page.items.length > 0;
  } catch {
    strip.querySelector("[data-auction-empty]").hidden = false;
  }
}

function field(root, name, text) {
  root.querySelectorAll(`[data-field="${name}"]`).forEach((el) => (el.textContent = text));
}

async function fillCardPanel(panel) {
  const auction = await getJson(`/api/v1/auctions/${encodeURIComponent(panel.dataset.auctionCard)}`);
  field(panel, "status", auction.status);
  field(panel, "current_price", auction.current_price);
  field(panel, "currency", auction.currency || "");
  field(panel, "countdown_label", countdownLabel(auction));
  field(panel, "bid_count_text", `${auction.bid_count ?? 0} bid${auction.bid_count === 1 ? "" : "s"}`);
  setCountdown(panel.querySelector('[data-field="countdown"]'), auction);
}

function refreshAll() {
  if (document.hidden) return;
  document.querySelectorAll("[data-auction-strip]").forEach(fillStrip);
  document.querySelectorAll("[data-auction-card]").forEach((panel) => fillCardPanel(panel).catch(() => {}));
}

// --- starting an auction ----------------------------------------------------------------------

function showType(form) {
  const type = form.querySelector("[data-auction-type]").value;
  form.querySelectorAll("[data-for-type]").forEach((group) => {
    const shown = group.dataset.forType === type;
    group.hidden = !shown;
    group.disabled = !shown;
    // Fields of the other type are neither checked nor sent.
    group.querySelectorAll("input").forEach((input) => (input.disabled = !shown));
  });
}

for (const form of document.querySelectorAll("form[data-auction-create]")) {
  showType(form);
  form.querySelector("[data-auction-type]").addEventListener("change", () => showType(form));
  // Runs before the page's API form handler (the form itself is reached before the document).
  form.addEventListener("submit", () => {
    const hours = Number(form.querySelector("[data-auction-duration]").value);
    // A minute more than chosen, so a one-hour auction still meets the minimum duration when
    // the request reaches the server a moment later.
    const ends = Date.now() + hours * 3600_000 + 60_000;
    form.elements.namedItem("ends_at").value = new Date(ends).toISOString();
  });
}

refreshAll();
setInterval(refreshAll, REFRESH_MS);

