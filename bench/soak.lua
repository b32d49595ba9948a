-- bench/soak.lua — wrk script of bench/soak.sh: a public read mix over the
-- national demo with random parameters. The lists come from the files
-- soak.sh writes ($SOAK_LISTS/{gemeenten,indicators,groepen}); each thread
-- seeds its own generator so threads ask different things.
--   30 % dashboard JSON of a random gemeente
--   20 % series JSON of a random gemeente and indicator
--   15 % comparison of a random indicator at a random period (and group)
--   25 % charts of the 20 most viewed gemeenten x 4 indicators (cached)
--    7 % reference data (gemeenten, indicators, groepen, openapi)
--    2 % comparison chart at a random period
--    1 % uncached chart: random gemeente, indicator, size and range

local function lines(name)
	local t = {}
	for l in io.lines(os.getenv("SOAK_LISTS") .. "/" .. name) do
		t[#t + 1] = l
	end
	return t
end

local gms, inds, groups, kinds
local counter = 0

function setup(thread)
	counter = counter + 1
	thread:set("seed", counter * 7919 + os.time())
end

function init(args)
	math.randomseed(seed)
	gms = lines("gemeenten")
	groups = lines("groepen")
	inds, kinds = {}, {}
	for _, l in ipairs(lines("indicators")) do
		local id, kind = l:match("^(%S+) (%S+)$")
		inds[#inds + 1] = id
		kinds[id] = kind
	end
end

local function pick(t) return t[math.random(#t)] end

-- A period of the indicator's kind within the demo's years.
local function period(id)
	local y, k = math.random(2016, 2025), kinds[id]
	if k == "maand" then return string.format("%d-%02d", y, math.random(12))
	elseif k == "kwartaal" then return string.format("%d-Q%d", y, math.random(4))
	elseif k == "halfjaar" then return string.format("%d-H%d", y, math.random(2))
	end
	return tostring(y)
end

local popular = { "pw_bestand", "pw_instroom", "pw_uitstroom_totaal",
	"bijstand_per_1000_inwoners" }
local reference = { "/api/v1/gemeenten", "/api/v1/indicators",
	"/api/v1/groepen", "/api/v1/openapi.json" }

local function path()
	local r = math.random(100)
	if r <= 30 then
		return "/api/v1/dashboard/" .. pick(gms)
	elseif r <= 50 then
		return "/api/v1/series/" .. pick(gms) .. "/" .. pick(inds)
	elseif r <= 65 then
		local id = pick(inds)
		local q = "/api/v1/vergelijk/" .. id .. "?periode=" .. period(id)
		if math.random(2) == 1 then q = q .. "&groep=" .. pick(groups) end
		return q
	elseif r <= 90 then
		return "/chart/" .. gms[math.random(20)] .. "/" .. pick(popular) .. ".svg"
	elseif r <= 97 then
		return pick(reference)
	elseif r <= 99 then
		local id = pick(popular)
		return "/chart/vergelijk/" .. id .. ".svg?periode=" .. period(id)
	end
	local id = pick(inds)
	return string.format("/chart/%s/%s.svg?w=%d&h=%d&van=%d", pick(gms), id,
	    math.random(400, 900), math.random(200, 400), math.random(2016, 2023))
end

function request()
	return wrk.format("GET", path())
end

function done(summary, latency, requests)
	local s = summary.duration / 1e6
	io.write(string.format("soak: %d verzoeken in %.0f s: %.0f/s; " ..
	    "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms; " ..
	    "fouten: %d verbinding, %d lezen, %d timeout, %d status >= 400\n",
	    summary.requests, s, summary.requests / s,
	    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
	    latency:percentile(99) / 1000, latency.max / 1000,
	    summary.errors.connect, summary.errors.read,
	    summary.errors.timeout, summary.errors.status))
end
