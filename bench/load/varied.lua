-- wrk script: every request asks for something different, so per-version caches in the server
-- rarely help. ENDPOINT (env) picks the endpoint: stories, story, search, dyad, entities,
-- article, or mixed (each request one of those at random). `article` and `story` draw ids from
-- the files named by ARTICLE_IDS and STORY_IDS (one id a line, sampled across the whole store by
-- load.sh). Each wrk thread draws from its own deterministic random sequence.
local endpoint = os.getenv("ENDPOINT") or "search"
local kinds = { "stories", "story", "search", "dyad", "entities", "article" }
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

local function read_ids(env)
  local ids, path = {}, os.getenv(env)
  if path then
    local f = io.open(path, "r")
    if f then
      for line in f:lines() do ids[#ids + 1] = line end
      f:close()
    end
  end
  return ids
end

local article_ids, story_ids = {}, {}
local prefixes = { "Rus", "NAT", "Ukr", "Chi", "Ger", "Fra", "Tur", "Ira", "Jap", "Ind", "Bra",
  "Pol", "Bri", "Eur", "Uni", "Mos", "Ber", "Lon", "Par", "Was", "Ki", "Be", "Sa", "Ma", "Al", "Jo" }

function init(args)
  math.randomseed(seed * 7919)
  article_ids, story_ids = read_ids("ARTICLE_IDS"), read_ids("STORY_IDS")
end

local function pick(list) return list[math.random(#list)] end

function request()
  local path
  local kind = endpoint
  if kind == "mixed" then kind = pick(kinds) end
  if (kind == "article" and #article_ids == 0) or (kind == "story" and #story_ids == 0) then kind = "stories" end
  if kind == "article" then
    path = "/api/articles/" .. pick(article_ids)
  elseif kind == "story" then
    path = "/api/stories/" .. pick(story_ids)
  elseif kind == "entities" then
    if math.random() < 0.5 then
      path = string.format("/api/entities?limit=20&cursor=%d", 20 * math.random(0, 200))
    else
      path = "/api/entities?limit=20&q=" .. pick(prefixes)
    end
  elseif kind == "stories" then
    path = string.format("/api/stories?limit=30&sort=%s&cursor=%d", pick(sorts), 30 * math.random(0, 300))
  elseif kind == "dyad" then
    local a, b = pick(actors), pick(actors)
    while b == a do b = pick(actors) end
    path = string.format("/api/dyad?a=%s&b=%s&period=%s", a, b, pick(periods))
  else
    -- 40 % single words, 60 % pairs, a third of the pairs on a later page: about 7,500
    -- distinct searches, well above the server's 2,048 cached answers.
    local q, cursor = pick(words), 0
    if math.random() < 0.6 then
      q = q .. "%20" .. pick(words)
      if math.random() < 1 / 3 then cursor = 20 * math.random(1, 2) end
    end
    path = "/api/search?q=" .. q .. "&limit=20"
    if cursor > 0 then path = path .. "&cursor=" .. cursor end
  end
  return wrk.format("GET", path)
end

-- SHOW_ERRORS=1 prints each non-2xx answer's status and the start of its body on stderr (wrk
-- then reads every body, so leave it off when timing).
if os.getenv("SHOW_ERRORS") == "1" then
  function response(status, headers, body)
    if status >= 300 then
      io.stderr:write(string.format("HTTP %d: %s\n", status, string.sub(body or "", 1, 300)))
    end
  end
end
