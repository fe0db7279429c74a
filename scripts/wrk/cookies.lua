-- wrk script for `make bench`: each request carries one of the session
-- cookies listed (one per line) in the file given after "--", in turn, so
-- the load spreads over many logged-in sessions.
local cookies = {}
local n = 0

function init(args)
  for line in io.lines(args[1]) do
    cookies[#cookies + 1] = line
  end
end

function request()
  n = n + 1
  wrk.headers["Cookie"] = "sessionId=" .. cookies[(n % #cookies) + 1]
  return wrk.format()
end
