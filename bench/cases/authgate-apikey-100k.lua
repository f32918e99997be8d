-- Cycles X-API-Key through the 1,000 keys authgate-apikey-100k.setup
-- picked from the 100,000 of the file.  The requests are made whole in
-- init(), so that request() allocates nothing and Lua's collector never
-- pauses wrk during the run (digest.lua says why that matters).
local requests = {}
local i = 0

function init(args)
    for line in io.lines(os.getenv("BENCH_WORK") .. "/apikeys-100k.keys") do
        requests[#requests + 1] = wrk.format(nil, nil, {["X-API-Key"] = line})
    end
    collectgarbage("collect")
end

function request()
    i = i % #requests + 1
    return requests[i]
end
