-- wrk script: every request asks for something different, so per-version caches in the server
-- rarely help. ENDPOINT (env) picks the endpoint: stories, search or dyad. Each wrk thread
-- draws from its own deterministic random sequence.
local endpoint = os.getenv("ENDPOINT") or "search"
local words = {
  "energy", "trade", "security", "border", "elections", "climate", "sanctions", "migration",
  "defence", "health", "technology", "finance", "agriculture", "transport", "Russia", "NATO",
  "Ukraine", "China", "Germany", "France", "Turkey", "Iran", "Japan", "India", "Brazil", "Poland",
  "Britain", "accused", "warned", "talks", "agreement", "proposal", "aid", "ministry", "statement",
  "officials", "government", "meeting", "week", "praised", "threatened", "criticised", "hosted",
  "pipeline", "tariffs", "summit", "troops", "vaccine", "refugees", "drought",
}
local actors = { "RUS", "USA", "UKR", "NATO", "CHN", "DEU", "FRA", "TUR", "IRN", "JPN", "IND", "BRA",
  "POL", "GBR", "EU", "UN" }
local periods = { "day", "month", "year" }
local sorts = { "newest", "biggest", "outlets" }

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(seed * 7919)
end

local function pick(list) return list[math.random(#list)] end

function request()
  local path
  if endpoint == "stories" then
    path = string.format("/api/stories?limit=30&sort=%s&cursor=%d", pick(sorts), 30 * math.random(0, 300))
  elseif endpoint == "dyad" then
    local a, b = pick(actors), pick(actors)
    while b == a do b = pick(actors) end
    path = string.format("/api/dyad?a=%s&b=%s&period=%s", a, b, pick(periods))
  else
    local q = pick(words)
    if math.random() < 0.6 then q = q .. "%20" .. pick(words) end
    path = "/api/search?q=" .. q .. "&limit=20"
  end
  return wrk.format("GET", path)
end
