-- wrk script for bench/load/run_scale.sh: GETs the URL given to wrk with the bearer token of
-- MTP_TOKEN (keep-alive) and prints one JSON line with the latency percentiles in ms.
--   MTP_TOKEN=... MTP_LABEL=users wrk -t1 -c4 -d10s -s bench/load/latency.lua URL
local token = os.getenv("MTP_TOKEN") or ""
local label = os.getenv("MTP_LABEL") or "?"

wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Connection"] = "keep-alive"

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"label":"%s","requests":%d,"rps":%.1f,"p50_ms":%.2f,"p95_ms":%.2f,"p99_ms":%.2f,' ..
    '"max_ms":%.2f,"non2xx":%d,"socket_errors":%d}\n',
    label, summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.status, e.connect + e.read + e.write + e.timeout))
end
