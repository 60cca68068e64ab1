// "Alerts on this device": subscribes this browser to web push (outbid and sold alerts) through
// the service worker, with the server's VAPID key, and unsubscribes it.
import { api } from "./api.js";

const toggle = document.getElementById("push-toggle");

function base64UrlToBytes(text) {
  const padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

async function current() {
  const registration = await navigator.serviceWorker.ready;
  return [registration, await registration.pushManager.getSubscription()];
}

async function setUp() {
  if (!toggle || !("serviceWorker" in navigator) || !("PushManager" in window)) return;
  const config = await api("GET", "/api/v1/push/config");
  if (!config.enabled) return;
  const [, subscription] = await current();
  toggle.checked = subscription !== null && Notification.permission === "granted";
  toggle.closest("label").hidden = false;
  toggle.addEventListener("change", async () => {
    toggle.disabled = true;
    try {
      const [registration, existing] = await current();
      if (toggle.checked) {
        if ((await Notification.requestPermission()) !== "granted") throw new Error("denied");
        const made =
          existing ||
          (await registration.pushManager.subscribe({
            userVisibleOnly: true,
            applicationServerKey: base64UrlToBytes(config.public_key),
          }));
        await api("POST", "/api/v1/push/subscriptions", made.toJSON());
      } else if (existing) {
        const endpoint = encodeURIComponent(existing.endpoint);
        await api("DELETE", `/api/v1/push/subscriptions?endpoint=${endpoint}`).catch(() => null);
        await existing.unsubscribe();
      }
    } catch (refused) {
      toggle.checked = !toggle.checked;
    } finally {
      toggle.disabled = false;
    }
  });
}

setUp();
