-- POST /api/v1/listings/{id}/buy: every request a distinct listing, bought by a rotating buyer
-- (their own session token), with an Idempotency-Key as a careful client sends.
-- BENCH_FILE lines are "<token> <listing id>"; thread n takes lines n, n + T, ... (T =
-- BENCH_THREADS). A thread that runs out of listings stops rather than repeat one.

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

local pairs_ = {}
issued = 0
answered = 0
statuses = {}

function init(args)
  local total = tonumber(os.getenv("BENCH_THREADS"))
  local n = 0
  for line in io.lines(os.getenv("BENCH_FILE")) do
    if n % total == id - 1 then
      local token, listing = line:match("^(%S+) (%S+)$")
      table.insert(pairs_, {token, listing})
    end
    n = n + 1
  end
end

function request()
  if issued >= #pairs_ then
    wrk.thread:stop()
    -- wrk still needs a request; it is never sent once the thread stops.
    return wrk.format("GET", "/healthz")
  end
  issued = issued + 1
  local pair = pairs_[issued]
  return wrk.format("POST", "/api/v1/listings/" .. pair[2] .. "/buy", {
    ["Authorization"] = "Bearer " .. pair[1],
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = "bench-" .. pair[2],
  }, "{}")
end

function response(status, headers, body)
  answered = answered + 1
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local issued_total, answered_total = 0, 0
  local merged = {}
  local per_thread = {}
  for _, thread in ipairs(threads) do
    issued_total = issued_total + thread:get("issued")
    answered_total = answered_total + thread:get("answered")
    table.insert(per_thread, string.format('"%d":%d', thread:get("id"), thread:get("issued")))
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
    '"issued":%d,"answered":%d,"issued_by_thread":{%s},"statuses":{%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean, issued_total, answered_total,
    table.concat(per_thread, ","), table.concat(parts, ",")))
end
