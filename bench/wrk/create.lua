-- POSTs a new object with a distinct name on every request. Environment (read via os.getenv):
-- BENCH_PATH (the collection path), BENCH_BODY (JSON with the name "NAME" to substitute), BENCH_PREFIX.
local path = os.getenv("BENCH_PATH")
local template = os.getenv("BENCH_BODY")
local prefix = os.getenv("BENCH_PREFIX") or "w"
local counter = 0
local headers = { ["Content-Type"] = "application/json" }
local auth = os.getenv("BENCH_TOKEN")
if auth and auth ~= "" then headers["Authorization"] = "Bearer " .. auth end

request = function()
  counter = counter + 1
  local body = string.gsub(template, "NAME", prefix .. "-" .. counter)
  return wrk.format("POST", path, headers, body)
end
