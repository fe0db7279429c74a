package public

import (
	"crypto/sha256"
	"encoding/base64"
)

// Fingerprint is a short hash of a file's content. Pages link to
// "/css/styles.css?v=<fingerprint>", and the file server lets browsers
// keep such a URL for a year: a changed file gets a new URL.
func Fingerprint(data []byte) string {
	sum := sha256.Sum256(data)
	return base64.RawURLEncoding.EncodeToString(sum[:9])
}
