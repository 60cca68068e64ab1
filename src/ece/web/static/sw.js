// ECE's service worker: the app shell from cache, pages from the network with the portfolio
// (and the card art it shows) kept for offline reading.
const SHELL = "ece-shell-v2";
const PAGES = "ece-pages-v1";
const SHELL_FILES = [
  "/offline",
  "/static/css/app.css",
  "/static/js/app.js",
  "/static/js/api.js",
  "/static/js/base58.js",
  "/static/js/forms.js",
  "/static/js/tx.js",
  "/static/js/ui.js",
  "/static/js/walletstd.js",
  "/static/icons/icon.svg",
  "/static/icons/icon-192.png",
];
// Pages worth reading offline: the portfolio (the seeds' mobile app is offline-first) and home.
const OFFLINE_PAGES = new Set(["/", "/portfolio"]);

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.addAll(SHELL_FILES))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  const keep = new Set([SHELL, PAGES]);
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => !keep.has(n)).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

async function networkFirst(request, keep) {
  try {
    const response = await fetch(request);
    if (keep && response.ok) {
      const cache = await caches.open(PAGES);
      await cache.put(request, response.clone());
    }
    return response;
  } catch (offline) {
    const cached = await caches.match(request);
    return cached || (await caches.match("/offline")) || Response.error();
  }
}

async function staleWhileRevalidate(request, cacheName) {
  const cache = await caches.open(cacheName);
  const cached = await cache.match(request);
  const fresh = fetch(request)
    .then((response) => {
      if (response.ok) cache.put(request, response.clone());
      return response;
    })
    .catch(() => cached);
  return cached || fresh;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(request, OFFLINE_PAGES.has(url.pathname)));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(staleWhileRevalidate(request, SHELL));
  } else if (/^\/api\/v1\/cards\/[^/]+\/image\.svg$/.test(url.pathname)) {
    event.respondWith(staleWhileRevalidate(request, PAGES));
  }
});

// Web push: outbid and sold alerts ({kind, title, body, url}, decrypted by the browser).
self.addEventListener("push", (event) => {
  let alert = { title: "ECE", body: "", url: "/notifications" };
  try {
    alert = { ...alert, ...event.data.json() };
  } catch (unreadable) {
    // An alert without a readable payload still tells the user something happened.
  }
  event.waitUntil(
    self.registration.showNotification(alert.title, {
      body: alert.body,
      icon: "/static/icons/icon-192.png",
      tag: alert.kind,
      data: { url: alert.url },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(event.notification.data?.url || "/", self.location.origin);
  if (url.origin !== self.location.origin) return; // only ever open our own pages
  event.waitUntil(self.clients.openWindow(url.href));
});
