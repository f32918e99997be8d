-- Cycles through 10,000 distinct RS256 tokens, one per request.
local tokens = {}
local i = 0

function init(args)
    local f = assert(io.open(os.getenv("BENCH_WORK") ..
                             "/bearer/rs256-distinct.tokens"))
    for line in f:lines() do
        tokens[#tokens + 1] = line
    end
    f:close()
end

function request()
    i = i % #tokens + 1
    return wrk.format(nil, nil, {["Authorization"] = "Bearer " .. tokens[i]})
end
