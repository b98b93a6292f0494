# Linkwell. `make run` opens the app; `make test` runs every test.
GO      ?= go
TAGS    := migrated_fynedo
BIN     := bin/linkwell
DEMO_DB ?= demo.db
# The benchmark database: a whole Primary Care Network over ten years.
# BENCH_SIZE=500000 make bench measures on a register ten times the size.
BENCH_SIZE ?= 50000
BENCH_DB ?= testdata/bench/pcn-$(BENCH_SIZE)-10y.db

# Debian packages for Fyne's cgo build (X11 and Wayland), the virtual
# display and window tools of the smoke test, screenshots and PDF checks.
DEB_PACKAGES := gcc pkg-config libgl1-mesa-dev libxcursor-dev libxrandr-dev libxinerama-dev \
	libxi-dev libxxf86vm-dev libwayland-dev libxkbcommon-dev wayland-protocols \
	xvfb xdotool imagemagick poppler-utils

export LANG ?= en_GB.UTF-8

.PHONY: run demo test bench build deps screenshots clean

run: build
	./$(BIN)

demo: build
	./$(BIN) demo --db $(DEMO_DB) --force
	./$(BIN) --db $(DEMO_DB)

build: deps
	$(GO) build -tags $(TAGS) -o $(BIN) .

test: deps
	$(GO) vet -tags $(TAGS) ./...
	$(GO) test -tags $(TAGS) -count=1 ./...

bench: build
	@test -f $(BENCH_DB) || { mkdir -p $(dir $(BENCH_DB)) && ./$(BIN) demo --db $(BENCH_DB) --patients $(BENCH_SIZE) --years 10 --today 2026-11-25; }
	LINKWELL_BENCH_DB=$(abspath $(BENCH_DB)) $(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem ./...

# The pictures show the benchmark PCN, whose diaries are full.
screenshots: build
	@test -f $(BENCH_DB) || { mkdir -p $(dir $(BENCH_DB)) && ./$(BIN) demo --db $(BENCH_DB) --patients 50000 --years 10 --today 2026-11-25; }
	./$(BIN) screenshots --db $(BENCH_DB) --out docs/screenshots

# deps installs the Debian packages the build needs when any is missing:
# as root it runs apt-get; otherwise it prints the command and stops.
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing build packages:" $$missing; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
		else \
			echo "Linkwell needs these Debian packages. Run:"; \
			echo "  sudo apt-get install -y $$missing"; \
			exit 1; \
		fi; \
	fi

clean:
	rm -rf bin
