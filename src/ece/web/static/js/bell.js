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
// The user-channel events that make a notification (the toast says which).
const NOTIFYING = {
  "auction.outbid": "outbid",
  "auction.won": "auction_won",
  "trade_offer.created": "trade_offer_received",
  "trade_offer.accepted": "trade_offer_accepted",
  "deposit.credited": "deposit_credited",
  "withdrawal.sent": "withdrawal_sent",
  "withdrawal.confirmed": "withdrawal_confirmed",
  "withdrawal.failed": "withdrawal_failed",
  "battle.result": "battle_result",
  "price_alert.triggered": "price_alert",
};

async function load() {
  const page = await api("GET", "/api/v1/notifications?limit=10");
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
  subscribe("user", (event) => {
    const kind = NOTIFYING[event.event];
    // The relay stores the notification with the event: read the count a moment later.
    if (kind) toast(TEXT[kind]);
    setTimeout(load, 300);
  });
  load();
}
