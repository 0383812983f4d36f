-- POSTs a new object with a distinct name on every request. Environment (read via os.getenv):
-- BENCH_PATH (the collection path), BENCH_BODY (JSON with "NAME" and "ADDRESS" to substitute: each new
-- object is a distinct VM, as in production, so no duplicate-address findings grow with the run), BENCH_PREFIX,
-- BENCH_ADDRESS_BLOCK (0-127: each run against one database takes another block of 65,536 addresses, or
-- the second run would repeat the first one's and every create would carry a duplicate-address warning);
-- the command line's -H headers are sent too.
local path = os.getenv("BENCH_PATH")
local template = os.getenv("BENCH_BODY")
local prefix = os.getenv("BENCH_PREFIX") or "w"
local counter = 0
local block = tonumber(os.getenv("BENCH_ADDRESS_BLOCK") or "0") % 128
local headers = { ["Content-Type"] = "application/json" }

init = function()
  -- The -H headers of the command line (wrk.format uses only the table it is given).
  for name, value in pairs(wrk.headers) do headers[name] = value end
end

request = function()
  counter = counter + 1
  local address = string.format("10.%d.%d.%d", 128 + block, math.floor(counter / 256) % 256, counter % 256)
  local body = string.gsub(string.gsub(template, "NAME", prefix .. "-" .. counter), "ADDRESS", address)
  return wrk.format("POST", path, headers, body)
end
