-- wrk script for bench/load/login_flood.sh: POSTs admin sign-ins for unknown emails (a fresh
-- one per request, as a credential-stuffing client would), keep-alive, and prints one JSON
-- line with the answers by status.
--   wrk -t2 -c16 -d20s -s bench/load/login_flood.lua URL
-- MTP_FLOOD_DELAY_MS: each connection waits that long between two requests (a flood at a rate
-- of about connections x 1000 / delay per second); unset or 0: as fast as wrk can.
-- MTP_FLOOD_PATH=/healthz: the control, a flood of the same connections on the cheapest route.
local threads = {}
local delay_ms = tonumber(os.getenv("MTP_FLOOD_DELAY_MS") or "0") or 0
local control_path = os.getenv("MTP_FLOOD_PATH")
if control_path == "" then control_path = nil end
if delay_ms > 0 then
  function delay() return delay_ms end
end
local counter = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  n200, n401, n429, n503, nother = 0, 0, 0, 0, 0
end

function request()
  counter = counter + 1
  if control_path then return wrk.format("GET", control_path, {["Connection"] = "keep-alive"}) end
  local body = string.format('{"email":"flood-%d-%d@nowhere.example","password":"not the password at all"}', id, counter)
  return wrk.format("POST", "/api/v2/auth/login",
                    {["Content-Type"] = "application/json", ["Connection"] = "keep-alive"}, body)
end

function response(status, headers, body)
  if status == 200 then n200 = n200 + 1
  elseif status == 401 then n401 = n401 + 1
  elseif status == 429 then n429 = n429 + 1
  elseif status == 503 then n503 = n503 + 1
  else nother = nother + 1 end
end

function done(summary, latency, requests)
  local t = {n200 = 0, n401 = 0, n429 = 0, n503 = 0, nother = 0}
  for _, th in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + (th:get(k) or 0) end
  end
  io.write(string.format(
    '{"label":"login_flood","requests":%d,"rps":%.1f,"p50_ms":%.2f,"p99_ms":%.2f,' ..
    '"s200":%d,"s401":%d,"s429":%d,"s503":%d,"other":%d,"socket_errors":%d}\n',
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    t.n200, t.n401, t.n429, t.n503, t.nother,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
