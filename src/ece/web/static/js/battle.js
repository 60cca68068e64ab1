// Battles: the countdowns tick, the arena reloads on its battle's live events (and when a
// phase ends by the clock), and the admin's "open a battle" form turns minutes into times.
import { subscribe } from "./live.js";

function left(until) {
  const ms = new Date(until).getTime() - Date.now();
  if (ms <= 0) return "now";
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h ? `${h}h ` : ""}${m}m ${s % 60}s`;
}

const arena = document.querySelector("[data-battle]");
let reloading = false;
// Never under a visitor's hands: while a form has focus or is posting, the reload waits.
function busy() {
  const active = document.activeElement;
  return Boolean(
    document.querySelector("form[data-busy]") || (active && active.closest("form[data-api]")),
  );
}

function reload() {
  if (reloading) return;
  reloading = true;
  const go = () => (busy() ? setTimeout(go, 500) : location.reload());
  setTimeout(go, 300);
}

function tick() {
  for (const time of document.querySelectorAll("time[data-countdown]")) {
    const text = left(time.getAttribute("datetime"));
    time.textContent = text;
    if (text === "now" && arena) setTimeout(reload, 1500); // the phase moved on
  }
}
tick();
setInterval(tick, 1000);

if (arena) {
  subscribe(`battle:${arena.dataset.battle}`, reload);
  // While the result is pending (voting over), look again every few seconds.
  if (arena.dataset.status === "reveal") setTimeout(reload, 3000);
}

const create = document.getElementById("battle-create");
if (create) {
  // Runs before forms.js posts (it listens on the document): fill the two times from now.
  create.addEventListener("submit", () => {
    const enrol = Number(create.querySelector('[data-minutes="enrol_until"]').value);
    const vote = Number(create.querySelector('[data-minutes="vote_until"]').value);
    const now = Date.now();
    create.elements.namedItem("enrol_until").value = new Date(now + enrol * 60_000).toISOString();
    create.elements.namedItem("vote_until").value = new Date(now + (enrol + vote) * 60_000).toISOString();
  });
  create.addEventListener("api:success", (event) => location.assign(`/battles/${event.detail.id}`));
}
