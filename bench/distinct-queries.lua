-- SPDX-License-Identifier: GPL-2.0-or-later
-- wrk script: each request is the next line of the file named by the
-- environment variable PATHS (one request path per line), round robin;
-- the two threads start half the list apart, so they rarely ask the same.
-- usage: PATHS=/tmp/paths wrk -t2 -c8 -d20s -s bench/distinct-queries.lua URL
local paths = {}
for line in io.lines(os.getenv("PATHS")) do
  paths[#paths + 1] = line
end
local counter = 0
local offset = 0
local threads = 0

function setup(thread)
  thread:set("offset", threads * math.floor(#paths / 2))
  threads = threads + 1
end

function request()
  counter = counter + 1
  local path = paths[(offset + counter) % #paths + 1]
  return wrk.format("GET", path)
end
