-- The course's SQL assignment (week 2, query 4) replaces "small interiors"
-- with "a huge interior" in the GM Hummer's description. Our seed text did
-- not contain the phrase, so the query had nothing to change: give it the
-- phrase. Only the untouched seed row changes.
UPDATE inventory
SET inv_description = 'Square, tough and impossible to miss in bright yellow, with small interiors but a huge presence. A brush guard, a rack of roof lights and giant off-road tyres mean no road, or lack of one, will stop you. Parallel parking is an adventure all its own.'
WHERE inv_make = 'GM' AND inv_model = 'Hummer'
  AND inv_description = 'Square, tough and impossible to miss in bright yellow. A brush guard, a rack of roof lights and giant off-road tyres mean no road, or lack of one, will stop you. Parallel parking is an adventure all its own.';
