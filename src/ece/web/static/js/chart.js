// Price charts of a company or a card: candles and volume drawn by Lightweight Charts (vendored
// under /static/vendor, so the pages' Content-Security-Policy holds), with a range picker and
// a tooltip that follows the crosshair.
//
// <section data-chart data-currency="USDC"
//          data-company="<id>">                  candles from GET /api/v1/market/companies/{id}/candles
//          data-points='[["<iso time>", "12.5"], ...]'>   or a card's own sales, bucketed here
//   <button data-range="24h|7d|30d|all" aria-pressed>   the range picker
//   <div data-chart-canvas>  <p data-chart-tooltip>  <p data-chart-empty hidden>  <p data-chart-summary>
//
// Prices arrive as exact decimal strings; they become numbers only to be drawn.
import {
  CandlestickSeries,
  ColorType,
  HistogramSeries,
  createChart,
} from "/static/vendor/lightweight-charts/dist/lightweight-charts.standalone.production.mjs";
import { api } from "./api.js";

const HOUR = 3600;
const DAY = 86400;
// Range -> bucket size and how many buckets back (the candles API's interval and limit).
const RANGES = {
  "24h": { interval: "1h", seconds: HOUR, limit: 24 },
  "7d": { interval: "1h", seconds: HOUR, limit: 168 },
  "30d": { interval: "1d", seconds: DAY, limit: 30 },
  all: { interval: "1d", seconds: DAY, limit: 500 },
};
const UP = "#2bb673";
const DOWN = "#e0565b";

function css(name, fallback) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

async function companyCandles(section, range) {
  const { interval, limit } = RANGES[range];
  const params = new URLSearchParams({ currency: section.dataset.currency, interval, limit: String(limit) });
  const answer = await api("GET", `/api/v1/market/companies/${section.dataset.company}/candles?${params}`);
  return answer.candles.map((c) => ({
    time: Math.floor(Date.parse(c.start) / 1000),
    open: Number(c.open),
    high: Number(c.high),
    low: Number(c.low),
    close: Number(c.close),
    volume: Number(c.volume),
    sales: c.sales,
  }));
}

// A card's sales, oldest first, as candles of the range's bucket size within the range.
function cardCandles(section, range) {
  const { seconds, limit } = RANGES[range];
  const now = Math.floor(Date.now() / 1000);
  const since = Math.floor(now / seconds) * seconds - seconds * (limit - 1);
  const out = [];
  for (const [at, text] of JSON.parse(section.dataset.points || "[]")) {
    const t = Math.floor(Date.parse(at) / 1000);
    if (t < since) continue;
    const price = Number(text);
    const bucket = Math.floor(t / seconds) * seconds;
    const last = out[out.length - 1];
    if (last && last.time === bucket) {
      last.high = Math.max(last.high, price);
      last.low = Math.min(last.low, price);
      last.close = price;
      last.volume += price;
      last.sales += 1;
    } else out.push({ time: bucket, open: price, high: price, low: price, close: price, volume: price, sales: 1 });
  }
  return out;
}

const fmt = (n) => n.toLocaleString("en-US", { maximumFractionDigits: 6 });
const day = (t, withHour) =>
  new Date(t * 1000).toISOString().slice(0, withHour ? 16 : 10).replace("T", " ") + (withHour ? " UTC" : "");

function setup(section) {
  const canvas = section.querySelector("[data-chart-canvas]");
  const tooltip = section.querySelector("[data-chart-tooltip]");
  const empty = section.querySelector("[data-chart-empty]");
  const summary = section.querySelector("[data-chart-summary]");
  const currency = section.dataset.currency;
  const text = css("--text", "#e8ecf3");
  const chart = createChart(canvas, {
    autoSize: true,
    // The library's own logo injects an inline <style> the CSP refuses: the panel credits
    // TradingView in a plain link instead (_chart.html).
    layout: { background: { type: ColorType.Solid, color: "transparent" }, textColor: text, fontSize: 12, attributionLogo: false },
    grid: { vertLines: { color: "rgba(140,150,170,0.12)" }, horzLines: { color: "rgba(140,150,170,0.12)" } },
    rightPriceScale: { borderVisible: false },
    timeScale: { borderVisible: false, timeVisible: true, secondsVisible: false },
    localization: { priceFormatter: fmt },
  });
  const candles = chart.addSeries(CandlestickSeries, {
    upColor: UP, downColor: DOWN, borderUpColor: UP, borderDownColor: DOWN, wickUpColor: UP, wickDownColor: DOWN,
    priceFormat: { type: "price", precision: 2, minMove: 0.01 },
  });
  const volume = chart.addSeries(HistogramSeries, { priceScaleId: "volume", priceFormat: { type: "volume" }, lastValueVisible: false, priceLineVisible: false });
  chart.priceScale("volume").applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
  candles.priceScale().applyOptions({ scaleMargins: { top: 0.1, bottom: 0.25 } });
  let shown = [];
  let hourly = false;

  chart.subscribeCrosshairMove((param) => {
    const bar = param.time !== undefined && shown.find((c) => c.time === param.time);
    if (!bar) {
      tooltip.textContent = "";
      return;
    }
    tooltip.textContent =
      `${day(bar.time, hourly)} · open ${fmt(bar.open)} · high ${fmt(bar.high)} · low ${fmt(bar.low)} · ` +
      `close ${fmt(bar.close)} ${currency} · ${bar.sales} sale${bar.sales === 1 ? "" : "s"}, volume ${fmt(bar.volume)} ${currency}`;
  });

  async function draw(range) {
    for (const button of section.querySelectorAll("[data-range]")) button.setAttribute("aria-pressed", String(button.dataset.range === range));
    let data;
    try {
      data = section.dataset.company ? await companyCandles(section, range) : cardCandles(section, range);
    } catch {
      data = [];
    }
    shown = data;
    hourly = RANGES[range].seconds === HOUR;
    chart.applyOptions({ timeScale: { timeVisible: hourly } });
    candles.setData(data.map(({ time, open, high, low, close }) => ({ time, open, high, low, close })));
    volume.setData(data.map((c) => ({ time: c.time, value: c.volume, color: c.close >= c.open ? "rgba(43,182,115,0.45)" : "rgba(224,86,91,0.45)" })));
    chart.timeScale().fitContent();
    empty.hidden = data.length > 0;
    canvas.hidden = data.length === 0;
    tooltip.textContent = "";
    section.dataset.candles = String(data.length);
    if (data.length) {
      const high = Math.max(...data.map((c) => c.high));
      const low = Math.min(...data.map((c) => c.low));
      const sales = data.reduce((n, c) => n + c.sales, 0);
      summary.textContent = `${sales} sale${sales === 1 ? "" : "s"} from ${day(data[0].time, hourly)} to ${day(data[data.length - 1].time, hourly)}, between ${fmt(low)} and ${fmt(high)} ${currency}; last ${fmt(data[data.length - 1].close)} ${currency}.`;
    } else summary.textContent = "";
  }

  section.addEventListener("click", (event) => {
    const button = event.target instanceof Element && event.target.closest("[data-range]");
    if (button) draw(button.dataset.range);
  });
  draw(section.dataset.range || "all");
}

document.querySelectorAll("[data-chart]").forEach(setup);
