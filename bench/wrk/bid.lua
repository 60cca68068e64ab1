-- POST /api/v1/auctions/{id}/bids on one hot auction: every request a new maximum, bidders
-- taking turns (request n from bidder n mod B, B = 32), so the requests in flight come from
-- different bidders, each raising over the others. Runs with ONE wrk thread: one Lua state,
-- one counter, so maximums rise strictly in the order requests are sent.
-- BENCH_FILE: the bidders' session tokens, one a line. BENCH_AUCTION: the auction id.
-- BENCH_RUN: a nonce for the Idempotency-Keys. BENCH_STEP / BENCH_START: whole currency
-- units; bid n's maximum is BENCH_START + n * BENCH_STEP.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local tokens = {}
local auction, run, step, start
local sent = 0
issued = 0
answered = 0
statuses = {}

function init(args)
  for line in io.lines(os.getenv("BENCH_FILE")) do
    table.insert(tokens, line)
  end
  auction = os.getenv("BENCH_AUCTION")
  run = os.getenv("BENCH_RUN")
  step = tonumber(os.getenv("BENCH_STEP"))
  start = tonumber(os.getenv("BENCH_START"))
end

function request()
  local n = sent
  sent = sent + 1
  issued = issued + 1
  local token = tokens[n % #tokens + 1]
  return wrk.format("POST", "/api/v1/auctions/" .. auction .. "/bids", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = "bench-bid-" .. run .. "-" .. n,
  }, string.format('{"max_amount":"%d"}', start + n * step))
end

function response(status, headers, body)
  answered = answered + 1
  local key = tostring(status)
  -- A refusal is counted by its problem code: "409 bid_too_low" is a bid overtaken in flight.
  local code = status >= 400 and body and body:match('"code"%s*:%s*"([%w_]+)"')
  if code then
    key = key .. " " .. code
  end
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  -- done() runs in the main Lua state: the counts live in the thread's state.
  local issued_total, answered_total, merged = 0, 0, {}
  for _, thread in ipairs(threads) do
    issued_total = issued_total + thread:get("issued")
    answered_total = answered_total + thread:get("answered")
    for code, n in pairs(thread:get("statuses")) do
      merged[code] = (merged[code] or 0) + n
    end
  end
  local parts = {}
  for code, n in pairs(merged) do
    table.insert(parts, string.format('"%s":%d', code, n))
  end
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p95":%d,"p99":%d,"max":%d,"mean":%.1f},' ..
    '"issued":%d,"answered":%d,"statuses":{%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean, issued_total, answered_total, table.concat(parts, ",")))
end
