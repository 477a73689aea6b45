-- SPDX-License-Identifier: GPL-2.0-or-later
-- wrk script of bench/run.sh: each thread walks its own slice of a file
-- of distinct request paths (one a line), so no request repeats unless a
-- slice runs out; then it starts its slice again and counts the wrap,
-- which done() reports.
--   wrk -t T -c C -d 15s -s bench/wrk-walk.lua http://HOST:PORT -- PATHS T
local threads, next_id = {}, 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  local n = tonumber(args[2])
  local per = math.floor(#paths / n)
  first = id * per + 1
  last = first + per - 1
  pos = first
  wrapped = 0
end

function request()
  local p = paths[pos]
  pos = pos + 1
  if pos > last then
    pos = first
    wrapped = wrapped + 1
  end
  return wrk.format("GET", p)
end

function done(summary, latency, requests)
  local w = 0
  for _, t in ipairs(threads) do
    w = w + (t:get("wrapped") or 0)
  end
  io.write(string.format("WALK wrapped=%d requests=%d non2xx=%d errors=%d\n",
    w, summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout))
  io.write(string.format("WALK p50=%d p90=%d p99=%d duration=%d\n",
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    summary.duration))
end
