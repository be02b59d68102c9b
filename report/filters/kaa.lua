--[[
kaa.lua: conditional content for the pandoc engine.

Quarto shows or hides `.content-visible` / `.content-hidden` divs and spans itself;
for the pandoc path this filter does the same for the conditions the report uses:
`when-meta="key"` and `unless-meta="key"` (a dotted metadata path, true when the
value is true or a non-empty string other than "false"). Any other condition
(when-format, ...) is an error, so the two engines cannot silently differ.
]]

local meta = {}

local function truthy(path)
  local v = meta
  for part in path:gmatch("[^.]+") do
    if type(v) ~= "table" then return false end
    v = v[part]
  end
  if v == nil then return false end
  if type(v) == "boolean" then return v end
  local s = pandoc.utils.stringify(v)
  return s ~= "" and s ~= "false"
end

local function condition(el)
  local ok = true
  for k, v in pairs(el.attributes) do
    if k == "when-meta" then
      ok = ok and truthy(v)
    elseif k == "unless-meta" then
      ok = ok and not truthy(v)
    else
      error("kaa.lua: villkoret " .. k .. " stöds inte (use when-meta/unless-meta)")
    end
  end
  return ok
end

local function show_or_hide(el)
  local visible
  if el.classes:includes("content-visible") then
    visible = condition(el)
  elseif el.classes:includes("content-hidden") then
    visible = not condition(el)
  else
    return nil
  end
  if visible then return el.content end
  return {}
end

return {
  { Meta = function(m) meta = m end },
  { Div = show_or_hide, Span = show_or_hide },
}
