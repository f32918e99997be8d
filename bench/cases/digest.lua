-- wrk script of the Digest cases: requests precomputed from real nonces of
-- the running server (bench/cases/digest-requests), each nonce-count used
-- once, the nonces in turn.  Every wrk run (each round, the warm-up)
-- fetches nonces of its own: NONCES of them, as that many clients would.
-- The case's algorithm and credentials come from its .conf line
-- "# digest: ALGORITHM USER PASSWORD".

-- As many counts as the run can use at 50,000 requests a second (its
-- length is BENCH_DURATION; past them the counts are used again, which
-- shows as non-2xx answers in the table).  Each request is made whole
-- here, before the run: request() then allocates nothing, so that Lua's
-- collector never stops wrk in the middle of a run (with a million
-- requests made up at each call it did, for tens of milliseconds, and the
-- Digest cases' p99 was 100 ms against 10 ms for the others).
local PER_SECOND = 50000
local DEFAULT_SECONDS = 10
-- With one nonce for all 32 connections, a request held back 70 ms at
-- 15,000 a second is over 1,024 counts behind: below the window, a 401.
local NONCES = 4

local requests = {}
local n, i = 0, 0

-- ALGORITHM, USER, PASSWORD and the case whose nonce is used: the case
-- itself, or the one its "# digest-challenge: CASE" line names (for a
-- case without authentication that is sent another case's requests).
local function conf_line(work, case)
  local alg, user, pass, from
  for line in io.lines(work .. "/digest-cases/" .. case .. ".conf") do
    if not alg then
      alg, user, pass = line:match("^#%s*digest:%s*(%S+)%s+(%S+)%s+(%S+)")
    end
    from = from or line:match("^#%s*digest%-challenge:%s*(%S+)")
  end
  if not alg then error("no '# digest:' line for " .. case) end
  return alg, user, pass, from or case
end

function init(args)
  local work, case = os.getenv("BENCH_WORK"), os.getenv("BENCH_CASE")
  local seconds = tonumber(os.getenv("BENCH_DURATION") or "") or DEFAULT_SECONDS
  local count = math.max(1, seconds) * PER_SECOND
  local alg, user, pass, from = conf_line(work, case)
  local out = work .. "/" .. case .. ".requests"
  local url = string.format("http://%s:%s/%s/file.txt", wrk.host, wrk.port, from)
  local cmd = string.format("%s/digest-cases/digest-requests '%s' %s %s %s %d %s %d",
                            work, url, alg, user, pass, count, out, NONCES)
  assert(os.execute(cmd) == 0, "digest-requests failed: " .. cmd)
  local it = io.lines(out)
  local templates = {}
  for k = 1, tonumber(it()) do templates[k] = it() end
  for line in it do
    local nc, response, k = line:match("^(%x+) (%x+) (%d+)$")
    assert(k and templates[tonumber(k)], "digest-requests wrote: " .. line)
    n = n + 1
    requests[n] = wrk.format(nil, nil, {
      Authorization = string.format(templates[tonumber(k)], nc, response)
    })
  end
  collectgarbage("collect")
end

function request()
  i = i + 1
  if i > n then i = 1 end   -- replays from here on: they show as non-2xx
  return requests[i]
end
