-- POSTs a new object with a distinct name on every request. Environment (read via os.getenv):
-- BENCH_PATH (the collection path), BENCH_BODY (JSON with the name "NAME" to substitute), BENCH_PREFIX;
-- the command line's -H headers are sent too.
local path = os.getenv("BENCH_PATH")
local template = os.getenv("BENCH_BODY")
local prefix = os.getenv("BENCH_PREFIX") or "w"
local counter = 0
local headers = { ["Content-Type"] = "application/json" }

init = function()
  -- The -H headers of the command line (wrk.format uses only the table it is given).
  for name, value in pairs(wrk.headers) do headers[name] = value end
end

request = function()
  counter = counter + 1
  local body = string.gsub(template, "NAME", prefix .. "-" .. counter)
  return wrk.format("POST", path, headers, body)
end
