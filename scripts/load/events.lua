-- wrk script for scripts/load-test.sh: every request asks /api/events for a different typical
-- filter (type, country, date range, language, actor, page): about 700 distinct queries. The
-- server's answer cache keeps answers until the store changes, so in a run with the defaults
-- most requests are answered from it after the first of each (the script prints the hit count);
-- with HADATH_SERVE_ARGS="--cache-secs 0" every request queries the store.
local types = {"PROTEST", "ASSAULT", "COERCE", "REQUEST", "ACCUSE", "THREATEN", "AGREE", "CONSULT"}
local countries = {"KZ", "EG", "SY", "IQ", "LB", "SD", "YE", "TN", "US", "FR", "IR", "TR"}
local actors = {"KAZ", "EGY", "SYR", "IRQ", "LBN", "SDN", "YEMGOV", "TUNPRO", "USAGOV", "FRA", "IRNMIL", "TURCOP"}
local langs = {"ar", "en"}
local counter = 0

request = function()
  counter = counter + 1
  local r = math.random(6)
  local path
  if r == 1 then
    path = "/api/events?type=" .. types[math.random(#types)] .. "&offset=" .. (math.random(20) * 50)
  elseif r == 2 then
    path = "/api/events?country=" .. countries[math.random(#countries)] .. "&sort=-date&offset=" .. (math.random(10) * 50)
  elseif r == 3 then
    local y = 2019 + math.random(4)
    local m = math.random(12)
    path = string.format("/api/events?from=%d-%02d-01&to=%d-%02d-28&limit=50", y, m, y, m)
  elseif r == 4 then
    path = "/api/events?type=" .. types[math.random(#types)] .. "&country=" .. countries[math.random(#countries)] .. "&lang=" .. langs[math.random(2)]
  elseif r == 5 then
    path = "/api/events?sort=-confidence&min_confidence=0.8&offset=" .. (math.random(40) * 25) .. "&limit=25"
  else
    path = "/api/events?actor=" .. actors[math.random(#actors)] .. "&limit=50&offset=" .. (math.random(10) * 50)
  end
  return wrk.format("GET", path)
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_s=%.1f rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f errors_connect=%d errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout))
end
