-- Cycles through 10,000 distinct RS256 tokens, one per request.  The
-- requests are made whole in init(), so that request() allocates nothing
-- and Lua's collector never pauses wrk during the run (digest.lua says
-- why that matters).
local requests = {}
local i = 0

function init(args)
    local f = assert(io.open(os.getenv("BENCH_WORK") ..
                             "/bearer/rs256-distinct.tokens"))
    for line in f:lines() do
        requests[#requests + 1] =
            wrk.format(nil, nil, {["Authorization"] = "Bearer " .. line})
    end
    f:close()
    collectgarbage("collect")
end

function request()
    i = i % #requests + 1
    return requests[i]
end
