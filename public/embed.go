// Package public holds the static files (css, images, js) served at the
// site's root, compiled into the binary.
package public

import "embed"

// Files is the static file tree.
//
//go:embed css images js
var Files embed.FS
