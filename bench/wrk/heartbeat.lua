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
