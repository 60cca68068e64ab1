// The page's one WebSocket to /api/v1/ws: channels subscribed by any module, events handed to
// their listeners. When it drops it reconnects with growing back-off (0.5 s doubling to 30 s,
// with jitter) and resumes from the last event id it saw, so nothing is missed or repeated.
// The first subscription resumes from the newest event the page was rendered with
// (<body data-live-from>), so an event committed while the page loaded is replayed, not lost.
// Signed-in pages authenticate by the session cookie (same origin).

const listeners = new Map(); // channel -> Set of functions(event message)
const statusListeners = new Set();
let socket = null;
let lastEventId = renderedAt();
let failures = 0;
let connected = false;

function renderedAt() {
  const value = document.body?.dataset.liveFrom;
  return value && /^\d+$/.test(value) ? Number(value) : null;
}

function setConnected(value) {
  if (connected === value) return;
  connected = value;
  for (const fn of statusListeners) fn(value);
}

function send(message) {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

function subscribeAll() {
  const channels = [...listeners.keys()];
  if (!channels.length) return;
  const message = { op: "subscribe", channels };
  if (lastEventId !== null) message.last_event_id = lastEventId;
  send(message);
}

function open() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  socket = new WebSocket(`${scheme}//${location.host}/api/v1/ws`);
  socket.addEventListener("open", () => {
    failures = 0;
    setConnected(true);
    subscribeAll();
  });
  socket.addEventListener("message", (raw) => {
    let message;
    try {
      message = JSON.parse(raw.data);
    } catch {
      return;
    }
    if (message.type !== "event") return;
    if (lastEventId === null || message.id > lastEventId) lastEventId = message.id;
    for (const fn of listeners.get(message.channel) || []) fn(message);
  });
  socket.addEventListener("close", () => {
    setConnected(false);
    const delay = Math.min(30_000, 500 * 2 ** failures) * (0.75 + Math.random() / 2);
    failures += 1;
    setTimeout(open, delay);
  });
}

/** Call ``fn`` with every event on ``channel`` (``market``, ``auction:{id}``, ``user``...). */
export function subscribe(channel, fn) {
  const known = listeners.has(channel);
  if (!known) listeners.set(channel, new Set());
  listeners.get(channel).add(fn);
  if (!socket) open();
  else if (!known) send({ op: "subscribe", channels: [channel] });
}

/** Call ``fn(true|false)`` when the socket comes up or goes down (pages poll while down). */
export function onConnection(fn) {
  statusListeners.add(fn);
}

export function isConnected() {
  return connected;
}
