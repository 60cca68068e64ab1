// Server-rendered parts of a page kept live: an element with ``data-live-channel`` names the
// socket channel to follow; on its events (a burst read once) the page is fetched again and
// every ``data-live-region`` element is replaced by its new version. Pages further back in a
// cursor are left alone.
import { subscribe } from "./live.js";

const root = document.querySelector("[data-live-channel]");
let burst = null;

async function reread() {
  const response = await fetch(location.href, { credentials: "same-origin" });
  if (!response.ok) return;
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
  for (const region of document.querySelectorAll("[data-live-region]")) {
    const next = fresh.querySelector(`[data-live-region="${region.dataset.liveRegion}"]`);
    if (next) region.replaceWith(next);
  }
}

if (root && !new URLSearchParams(location.search).has("cursor")) {
  subscribe(root.dataset.liveChannel, () => {
    clearTimeout(burst);
    burst = setTimeout(() => reread().catch(() => {}), 500);
  });
}
