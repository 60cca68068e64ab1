// The notification bell (signed-in pages): the unread count, the latest notifications, mark
// all read, and a toast when one arrives on the socket's user channel.
import { api } from "./api.js";
import { subscribe } from "./live.js";
import { toast } from "./ui.js";

const bell = document.getElementById("bell");
const count = document.getElementById("bell-count");
const panel = document.getElementById("bell-panel");
const list = document.getElementById("bell-list");

const TEXT = {
  trade_offer_received: "You received a trade offer.",
  trade_offer_accepted: "Your trade offer was accepted.",
  trade_offer_declined: "Your trade offer was declined.",
  trade_offer_cancelled: "A trade offer to you was cancelled.",
  trade_offer_countered: "Your trade offer was countered.",
  trade_offer_expired: "A trade offer expired; its cards and funds are released.",
  outbid: "You were outbid.",
  auction_won: "You won an auction.",
  auction_sold: "Your auction sold.",
  listing_sold: "Your card sold.",
  offer_accepted: "Your offer was accepted.",
  deposit_credited: "Your deposit is credited.",
  withdrawal_sent: "Your withdrawal is sent; waiting for the chain.",
  withdrawal_confirmed: "Your withdrawal is confirmed.",
  withdrawal_failed: "Your withdrawal failed; the funds are back.",
  payout_sent: "A payout was sent.",
  battle_result: "A battle you joined is settled.",
  price_alert: "A price alert of yours crossed its price.",
};
// Notifications already shown (listed or toasted): a new unread one is toasted once. The toast
// reads the stored notification, not the socket event: an event on my channel may be about
// something I did myself (I declined an offer), which notifies the other party, not me.
const seen = new Set();

async function load(announce = false) {
  const page = await api("GET", "/api/v1/notifications?limit=10");
  const fresh = page.items.find((item) => !item.read_at && !seen.has(item.id));
  if (announce && fresh) toast(TEXT[fresh.type] || fresh.type);
  for (const item of page.items) seen.add(item.id);
  count.textContent = page.unread_count ? String(page.unread_count) : "";
  count.hidden = !page.unread_count;
  list.replaceChildren(
    ...page.items.map((item) => {
      const row = document.createElement("li");
      row.textContent = TEXT[item.type] || item.type;
      if (!item.read_at) row.className = "unread";
      return row;
    }),
  );
}

if (bell) {
  bell.addEventListener("click", () => {
    panel.hidden = !panel.hidden;
    if (!panel.hidden) load();
  });
  document.getElementById("bell-read-all").addEventListener("click", async () => {
    await api("POST", "/api/v1/notifications/read", { all: true });
    load();
  });
  subscribe("user", () => {
    // The relay stores the notification with the event: read it a moment later.
    setTimeout(() => load(true), 300);
  });
  load();
}
