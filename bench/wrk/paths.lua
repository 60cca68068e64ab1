-- GET requests cycling through a file of paths (one per line), e.g. /healthz or listing searches.
-- Each wrk thread has its own Lua state: thread n takes the lines n, n + T, n + 2T, ...
-- Environment: BENCH_FILE (the paths), BENCH_THREADS (T).

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

local paths = {}
local next_index = 1

function init(args)
  local total = tonumber(os.getenv("BENCH_THREADS"))
  local n = 0
  for line in io.lines(os.getenv("BENCH_FILE")) do
    if n % total == id - 1 then
      table.insert(paths, line)
    end
    n = n + 1
  end
  if #paths == 0 then
    for line in io.lines(os.getenv("BENCH_FILE")) do
      table.insert(paths, line)
    end
  end
end

function request()
  local path = paths[next_index]
  next_index = next_index % #paths + 1
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p95":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean))
end
