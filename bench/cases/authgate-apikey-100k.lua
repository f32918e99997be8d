-- Cycles X-API-Key through the 1,000 keys authgate-apikey-100k.setup
-- picked from the 100,000 of the file.
local keys = {}
for line in io.lines(os.getenv("BENCH_WORK") .. "/apikeys-100k.keys") do
    keys[#keys + 1] = line
end
local i = 0

function request()
    i = i % #keys + 1
    wrk.headers["X-API-Key"] = keys[i]
    return wrk.format()
end
