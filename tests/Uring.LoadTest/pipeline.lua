-- wrk script: each write carries DEPTH pipelined GETs (wrk ... -s pipeline.lua URL -- DEPTH), as TechEmpower's plaintext test does.
init = function(args)
  local depth = tonumber(args[1]) or 16
  local r = {}
  for i = 1, depth do r[i] = wrk.format() end
  req = table.concat(r)
end
request = function() return req end
