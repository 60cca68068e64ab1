// Exact amounts in the browser: decimal strings to base units (BigInt) and back, never floats,
// so a total shown before a commit is the total the ledger will move.

export const DECIMALS = { USDC: 6, ECE: 9 };
const DECIMAL = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

/** "12.5" USDC → 12500000n; null for text the server would refuse (too fine, malformed). */
export function toUnits(text, currency) {
  const places = DECIMALS[currency];
  const match = DECIMAL.exec(text);
  if (places === undefined || !match) return null;
  const fraction = (match[2] || "").replace(/0+$/, "");
  if (fraction.length > places) return null;
  return BigInt(match[1]) * 10n ** BigInt(places) + BigInt(fraction.padEnd(places, "0") || "0");
}

/** 12500000n USDC → "12.5" (the API's own format: no trailing zeros). */
export function fromUnits(units, currency) {
  const places = BigInt(DECIMALS[currency]);
  const scale = 10n ** places;
  const sign = units < 0n ? "-" : "";
  const abs = units < 0n ? -units : units;
  const fraction = (abs % scale).toString().padStart(Number(places), "0").replace(/0+$/, "");
  return `${sign}${abs / scale}${fraction ? "." + fraction : ""}`;
}

/** A <dl> row: a term and its value (strong for the total that matters). */
export function row(list, label, value, strong = false) {
  const dt = document.createElement("dt");
  dt.textContent = label;
  const dd = document.createElement("dd");
  if (strong) {
    const b = document.createElement("strong");
    b.textContent = value;
    dd.append(b);
  } else dd.textContent = value;
  list.append(dt, dd);
}
