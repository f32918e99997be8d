-- wrk script of the Digest cases: requests precomputed from a real nonce of
-- the running server (bench/cases/digest-requests), each nonce-count used
-- once, in turn.  Every wrk run (each round, the warm-up) fetches a nonce
-- of its own.  The case's algorithm and credentials come from its .conf
-- line "# digest: ALGORITHM USER PASSWORD".

-- Enough for 10 s at 100,000 requests a second; past them the counts are
-- used again, which shows as non-2xx answers in the table.
local COUNT = 1000000

local template
local lines = {}
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
  local alg, user, pass, from = conf_line(work, case)
  local out = work .. "/" .. case .. ".requests"
  local url = string.format("http://%s:%s/%s/file.txt", wrk.host, wrk.port, from)
  local cmd = string.format("%s/digest-cases/digest-requests '%s' %s %s %s %d %s",
                            work, url, alg, user, pass, COUNT, out)
  assert(os.execute(cmd) == 0, "digest-requests failed: " .. cmd)
  local it = io.lines(out)
  template = it()
  for line in it do
    n = n + 1
    lines[n] = line
  end
end

function request()
  i = i + 1
  if i > n then i = 1 end   -- replays from here on: they show as non-2xx
  return wrk.format(nil, nil, {
    Authorization = string.format(template, lines[i]:sub(1, 8),
                                  lines[i]:sub(10))
  })
end
