# Developer tasks for CSE Motors. "make" alone runs the app.
#
#   make run      start the local PostgreSQL, write .env, run the app on http://localhost:5500
#   make dev      like run, restarting the server when a Go or SQL file changes (air)
#   make test     gofmt check, go vet, and the tests (race detector) against the local PostgreSQL,
#                 some behind PgBouncer in transaction mode; scripts/db.sh on other layouts
#   make fuzz     run each fuzz target for FUZZTIME (10000 inputs)
#   make bench    load the production binary, print requests/s, latency, SQL per request, RSS
#   make soak     stop PostgreSQL for 10 s under mixed load and report what was lost
#   make cluster  3 instances (CLUSTER_INSTANCES) behind HAProxy, on PgBouncer in transaction mode; Ctrl-C stops
#   make cluster-stop   stop what make cluster started (from another terminal)
#   make cluster-drill  rolling restart and SIGKILL under load: 5xx, resets, sessions and flashes kept
#   make compare-stores  the same session scenarios on gin-contrib/sessions/postgres and on our store, as a table
#   make build    build bin/cse-motors
#   make db       start the local PostgreSQL (scripts/db.sh up)
#   make psql     open psql on the app database
#   make db-stop  stop the local PostgreSQL
#   make secret   print a fresh SESSION_SECRET
#   make clean    remove bin/
#
# Set DATABASE_URL to use an existing PostgreSQL instead of the local one.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

# Go is often installed in /usr/local/go without being on PATH.
ifeq ($(shell command -v go 2>/dev/null),)
ifneq ($(wildcard /usr/local/go/bin/go),)
export PATH := /usr/local/go/bin:$(PATH)
GO_MISSING :=
else
GO_MISSING := yes
endif
endif

.PHONY: run dev test fuzz bench soak cluster cluster-stop cluster-drill compare-stores build db psql db-stop secret clean check-go

# `make run` and `make dev` build, then run (not `go run`, which exits with
# status 1 whenever it was interrupted, so make printed "Error 1"): Ctrl-C
# stops the server gracefully and make quietly, with status 0.
run: check-go
	scripts/db.sh up
	scripts/env.sh
	go build -o bin/cse-motors-dev .
	bin/cse-motors-dev

# Live reload (the course's nodemon): air rebuilds and restarts on Go/SQL changes.
dev: check-go
	scripts/db.sh up
	scripts/env.sh
	GOBIN="$(CURDIR)/bin" go install github.com/air-verse/air@v1.67.4
	bin/air

test: check-go
	scripts/need.sh gcc "gcc libc6-dev" "the race detector (go test -race needs cgo)"
	scripts/need.sh pgbouncer pgbouncer "the tests behind a transaction pooler (database/dbtest.PgBouncer)"
	scripts/db.sh up
	scripts/test-db-sh.sh
	scripts/chromium.sh
	scripts/axe.sh
	@unformatted="$$(gofmt -l .)"; \
	if [ -n "$$unformatted" ]; then \
		echo "These files are not gofmt-formatted (run: gofmt -w .):"; \
		echo "$$unformatted"; \
		exit 1; \
	fi
	go vet ./...
	TEST_DATABASE_URL="$$(scripts/db.sh admin-url)" go test -race -count=1 ./...
	@# The measuring tools are a module of their own (scripts/go.mod): vet
	@# them (racecheck's tagged test too) and run their tests, so they
	@# cannot rot while nobody runs make bench.
	cd scripts && go vet ./... && go vet -tags comparestores ./... && go test -count=1 ./...

# The fuzz targets, each for a bounded number of inputs (FUZZTIME, default
# 10000x, about 10 s each here); CI runs it. A count, not a duration: when a
# duration ends, Go 1.26's fuzz coordinator can fail a target with a spurious
# "context deadline exceeded" (golang/go#75804, fixed in Go 1.27).
FUZZTIME ?= 10000x
fuzz: check-go
	go test -run XXX -fuzz '^FuzzVerify$$' -fuzztime $(FUZZTIME) ./sessionstore/postgres
	go test -run XXX -fuzz '^FuzzAccountForm$$' -fuzztime $(FUZZTIME) ./controllers
	go test -run XXX -fuzz '^FuzzVehicleFields$$' -fuzztime $(FUZZTIME) ./controllers
	go test -run XXX -fuzz '^FuzzClassificationName$$' -fuzztime $(FUZZTIME) ./controllers

# Load the production binary and print the performance table (docs/performance.md).
bench: check-go
	scripts/bench.sh

# PostgreSQL stopped for 10 s under steady load: what users got, what was lost.
soak: check-go
	scripts/soak.sh

# Several instances behind HAProxy, on PgBouncer in transaction mode
# (docs/deploy.md); configuration in scripts/cluster/.
CLUSTER_INSTANCES ?= 3
cluster: check-go
	scripts/cluster.sh run $(CLUSTER_INSTANCES)

cluster-stop:
	scripts/cluster.sh stop

cluster-drill: check-go
	CLUSTER_INSTANCES=$(CLUSTER_INSTANCES) scripts/cluster-drill.sh

# The session scenarios on gin-contrib/sessions/postgres and on our store,
# side by side (README "Why our own session store"), on throwaway databases.
# Only the table goes to stdout, ready to paste.
compare-stores: check-go
	@scripts/need.sh gcc "gcc libc6-dev" "the race detector (go test -race needs cgo)" >&2
	@scripts/db.sh up >&2
	@url="$$(scripts/db.sh admin-url)"; cd scripts && TEST_DATABASE_URL="$$url" go run ./comparestores

build: check-go
	go build -trimpath -o bin/cse-motors .

db:
	scripts/db.sh up

psql: db
	scripts/db.sh psql

db-stop:
	scripts/db.sh stop

secret: check-go
	go run . secret

clean:
	rm -rf bin/

check-go:
ifeq ($(GO_MISSING),yes)
	@echo "Go is not installed (no 'go' on PATH and no /usr/local/go/bin/go)." >&2
	@echo "Install it from https://go.dev/dl/ , e.g.:" >&2
	@echo "  curl -fsSLO https://go.dev/dl/go1.26.0.linux-amd64.tar.gz" >&2
	@echo "  sudo rm -rf /usr/local/go && sudo tar -C /usr/local -xzf go1.26.0.linux-amd64.tar.gz" >&2
	@exit 1
else
	@true
endif
