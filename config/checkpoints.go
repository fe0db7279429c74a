package config

// Checkpoints reports whether the session demo's live checkpoints run:
// every request noted, with its SQL, in memory (package checkpoints). Only
// in development with the demo routes on; never in production, not even
// with DEMO_ROUTES=true (the benchmark's setting), where it would slow
// every request and keep a request log.
func (c Config) Checkpoints() bool { return c.DemoRoutes && !c.Production() }
