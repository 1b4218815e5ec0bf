-- wrk script: sends, in order, the complete HTTP requests of a file written by bench/wrk/wrk.mjs
-- (records "<length>\n<request bytes>"), each once. Requests made in advance keep wrk's own work per
-- request to reading a record: the bodies are signed by the core in Node, never in Lua. When the
-- file runs out, the thread stops (wrk's main thread still waits out -d; the rate is measured by
-- the caller from what the service stored, not from wrk's duration).
--
-- Prints one line "WRK_RESULT {json}" at the end: wrk's counts and latency percentiles (µs), the
-- requests each thread took from its file, and wrk's own CPU time (from /proc/self/stat).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

sent = 0
exhausted = false
local file, healthz, verified

function init(args)
  file = assert(io.open(args[1], 'rb'))
  -- What a request() call returns once the file is used up (it may still go out before the stop).
  healthz = wrk.format('GET', '/healthz')
end

function request()
  -- wrk calls request() once before the run to check what it returns (the first thread only): that
  -- call gets a GET /healthz, so no signed request is used up without being sent.
  if not verified then
    verified = true
    return healthz
  end
  if not exhausted then
    local length = file:read('*l')
    if length then
      sent = sent + 1
      return file:read(tonumber(length))
    end
    exhausted = true
    file:close()
    wrk.thread:stop()
  end
  return healthz
end

local function cpu_ms()
  local stat = io.open('/proc/self/stat')
  if not stat then return nil end
  local text = stat:read('*a')
  stat:close()
  -- Fields after the command name: state is the 1st, utime the 12th, stime the 13th (in ticks of 10 ms).
  local fields = {}
  for field in text:match('%) (.*)'):gmatch('%S+') do fields[#fields + 1] = field end
  return (tonumber(fields[12]) + tonumber(fields[13])) * 10
end

function done(summary, latency, requests)
  local sent_total, all_exhausted = 0, true
  for _, thread in ipairs(threads) do
    sent_total = sent_total + thread:get('sent')
    all_exhausted = all_exhausted and thread:get('exhausted')
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"duration_us":%d,"requests":%d,"sent":%d,"exhausted":%s,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f},"cpu_ms":%s}\n',
    summary.duration, summary.requests, sent_total, tostring(all_exhausted), e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    tostring(cpu_ms() or 'null')))
end
