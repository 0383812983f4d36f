-- Heartbeats for BENCH_VMS WorkloadEntries named as bench/lib/registry.js names them (vm-0000000 …,
-- namespace bench for the first 1000, then team-0..9 by tens), one after the other, starting at
-- BENCH_START. BENCH_PREFIX: the path before "<namespace>/<name>" pieces, as BENCH_SHAPE says:
--   service: /apis/networking.istio.io/v1/namespaces/<ns>/workloadentries/<name>/heartbeat
--   bare:    /bare/renew/<ns>/<name>
local vms = tonumber(os.getenv("BENCH_VMS") or "100000")
local shape = os.getenv("BENCH_SHAPE") or "service"
local counter = tonumber(os.getenv("BENCH_START") or "0")
local headers = { ["Content-Type"] = "application/json" }
local body = "{}"
-- BENCH_THINK_MS: each connection waits a random 0..2× this long between its requests (mean: this), so that
-- C connections offer about C / (think + latency) requests a second, spread out rather than in lockstep.
local think = tonumber(os.getenv("BENCH_THINK_MS") or "0")
math.randomseed(os.time())
if think > 0 then
  -- wrk takes whole milliseconds: rounded, not truncated, so the mean stays `think`.
  delay = function() return math.floor(think * 2 * math.random() + 0.5) end
end

init = function()
  for name, value in pairs(wrk.headers) do headers[name] = value end
end

local function namespace(i)
  if i < 1000 then return "bench" end
  return "team-" .. (math.floor(i / 10) % 10)
end

request = function()
  local i = counter % vms
  counter = counter + 1
  local name = string.format("vm-%07d", i)
  local path
  if shape == "bare" then
    path = "/bare/renew/" .. namespace(i) .. "/" .. name
  else
    path = "/apis/networking.istio.io/v1/namespaces/" .. namespace(i) .. "/workloadentries/" .. name .. "/heartbeat"
  end
  return wrk.format("POST", path, headers, body)
end
