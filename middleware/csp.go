package middleware

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
)

// ContentSecurityPolicy is the policy every response carries: scripts,
// styles and everything else come from this site's own files only, so an
// injected <script>, onclick="..." or style="..." does nothing. With
// reportTo set (development), the browser also posts a report of each
// blocked inline script or style there, with its first characters
// ('report-sample'), so a student learns why their inline code did not
// run (see CSPReports). The reporting changes nothing about what is
// allowed.
func ContentSecurityPolicy(reportTo string) string {
	sample := ""
	if reportTo != "" {
		sample = " 'report-sample'"
	}
	policy := "default-src 'self'; img-src 'self' data:; style-src 'self'" + sample +
		"; script-src 'self'" + sample + "; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
	if reportTo != "" {
		policy += "; report-uri " + reportTo
	}
	return policy
}

// CSPReports is the development-only endpoint browsers post
// Content-Security-Policy violation reports to. It logs each distinct
// violation once, as a warning naming the page, what was blocked and where
// to move it, so an inline <script> or style="" in a student's view is not
// silently ignored. Routes register it only in development.
func CSPReports(logger *slog.Logger) gin.HandlerFunc {
	var mu sync.Mutex
	seen := map[string]bool{}
	return func(c *gin.Context) {
		var body struct {
			Report cspReport `json:"csp-report"`
		}
		err := json.NewDecoder(io.LimitReader(c.Request.Body, 16<<10)).Decode(&body)
		if err != nil || body.Report.Directive() == "" {
			c.Status(http.StatusBadRequest)
			return
		}
		r := body.Report
		// Not the line: a flash banner above the code moves it.
		key := r.Page() + "|" + r.Directive() + "|" + r.BlockedURI + "|" + r.Sample
		mu.Lock()
		if len(seen) >= 1000 {
			clear(seen) // bounded memory; a violation may then be logged again
		}
		first := !seen[key]
		seen[key] = true
		mu.Unlock()
		if first {
			what, fix := r.explain()
			logger.Warn("Content-Security-Policy blocked "+what,
				"page", r.Page(), "line", r.Line, "sample", r.Sample, "fix", fix)
		}
		c.Status(http.StatusNoContent)
	}
}

// cspReport is the body of a report-uri report (the fields used here).
type cspReport struct {
	DocumentURI        string `json:"document-uri"`
	EffectiveDirective string `json:"effective-directive"`
	ViolatedDirective  string `json:"violated-directive"`
	BlockedURI         string `json:"blocked-uri"`
	Line               int    `json:"line-number"`
	Sample             string `json:"script-sample"`
}

// Directive is the directive that blocked the resource ("script-src-elem").
func (r cspReport) Directive() string {
	if r.EffectiveDirective != "" {
		return r.EffectiveDirective
	}
	d, _, _ := strings.Cut(r.ViolatedDirective, " ")
	return d
}

// Page is the path of the page that was blocked.
func (r cspReport) Page() string {
	if u, err := url.Parse(r.DocumentURI); err == nil && u.Path != "" {
		return u.Path
	}
	return r.DocumentURI
}

// cspAdvice says, by the directive that blocked some inline code, what
// it was and where it belongs instead.
var cspAdvice = map[string]struct{ what, fix string }{
	"script-src-attr": {"an inline event handler (onclick=\"...\" or the like)",
		"move the code into a file under public/js, attach it with addEventListener, and load the file with <script src=\"/js/name.js\" defer></script>"},
	"script-src-elem": {"an inline <script>",
		"move the code into a file under public/js and load it with <script src=\"/js/name.js\" defer></script>"},
	"style-src-attr": {"an inline style=\"...\" attribute",
		"move the rules into public/css/styles.css under a class name, and give the element that class"},
	"style-src-elem": {"an inline <style> element", "move the rules into public/css/styles.css"},
}

// explain says what was blocked and where it belongs instead.
func (r cspReport) explain() (what, fix string) {
	d := r.Directive()
	if d == "script-src" || d == "style-src" { // browsers that do not say which part
		d += "-elem"
	}
	if a, ok := cspAdvice[d]; ok && (r.BlockedURI == "inline" || r.BlockedURI == "") {
		return a.what, a.fix
	}
	return "a resource from " + r.BlockedURI + " (" + d + ")", "serve the file from public/ instead of another site"
}
