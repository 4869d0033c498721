-- wrk script: Comet single-point metric POSTs, one step per request.
-- Usage: EXPERIMENT_KEY=<key> API_KEY=<api key> wrk -t2 -c64 -d10s -s bench/comet_metric.lua http://127.0.0.1:8016
local key = os.getenv("EXPERIMENT_KEY")
local apiKey = os.getenv("API_KEY")
local counter = 0
request = function()
  counter = counter + 1
  local body = '{"experimentKey":"' .. key .. '","metricName":"loss","metricValue":0.5,"step":' .. counter .. '}'
  return wrk.format("POST", "/api/rest/v2/write/experiment/metric", {["Authorization"] = apiKey, ["Content-Type"] = "application/json"}, body)
end
