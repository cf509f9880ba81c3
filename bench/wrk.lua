-- wrk script of the load test (bench/run.py): logged-in GETs over a list of pages.
-- BENCH_PATHS: the paths, separated by spaces; BENCH_COOKIES: one Cookie header value per
-- simulated user, separated by "|". Requests go round the paths; users take turns. No think
-- time: the saturation run (think time is `_users` in bench/run.py: wrk would open each next
-- connection at once and leave it idle through the think time, holding a gunicorn sync worker).
-- At the end one line "BENCH_JSON {...}" gives the totals and latency percentiles (µs).

local paths, cookies = {}, {}
for p in string.gmatch(os.getenv("BENCH_PATHS") or "/", "%S+") do
  paths[#paths + 1] = p
end
for c in string.gmatch(os.getenv("BENCH_COOKIES") or "", "[^|]+") do
  cookies[#cookies + 1] = c
end

local counter = 0

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
