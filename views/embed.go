package views

import "embed"

// Files holds the templates compiled into the binary, so a production
// deploy is one file.
//
//go:embed index.html layouts partials errors inventory account review demo
var Files embed.FS
