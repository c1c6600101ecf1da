-- wrk script for bench/run.sh: POSTs BENCH_BODY as JSON, with a bearer token when BENCH_TOKEN is set and
-- the headers in BENCH_HEADERS ("Name: value|Name: value"), and prints one machine-readable line
-- ("BENCH_JSON {...}") at the end.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("BENCH_BODY")
local token = os.getenv("BENCH_TOKEN")
if token ~= nil and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
local headers = os.getenv("BENCH_HEADERS")
if headers ~= nil then
  for name, value in string.gmatch(headers, "([^|:]+):%s*([^|]*)") do
    wrk.headers[name] = value
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"seconds":%.3f,"rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"non2xx":%d,"socket_errors":%d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end
