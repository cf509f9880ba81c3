-- wrk script of the load test (bench/run.py): logged-in GETs over a list of pages.
-- BENCH_PATHS: the paths, separated by spaces; BENCH_COOKIES: one Cookie header value per
-- simulated user, separated by "|"; BENCH_THINK_MS: "2000-5000" makes each connection (a user)
-- wait a random 2 to 5 s before each request (think time, not counted in the latency).
-- Requests go round the paths; users take turns.
-- At the end one line "BENCH_JSON {...}" gives the totals and latency percentiles (µs).

local paths, cookies = {}, {}
for p in string.gmatch(os.getenv("BENCH_PATHS") or "/", "%S+") do
  paths[#paths + 1] = p
end
for c in string.gmatch(os.getenv("BENCH_COOKIES") or "", "[^|]+") do
  cookies[#cookies + 1] = c
end

local counter = 0

function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

local think = os.getenv("BENCH_THINK_MS")
if think then
  local low, high = string.match(think, "(%d+)-(%d+)")
  low, high = tonumber(low), tonumber(high)
  function delay()
    return math.random(low, high)
  end
end

function request()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  local headers = {}
  if #cookies > 0 then
    headers["Cookie"] = cookies[((counter * 7) % #cookies) + 1]
  end
  return wrk.format("GET", path, headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
