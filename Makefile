# Linkwell. `make run` opens the app; `make test` runs every test.
GO      ?= go
TAGS    := migrated_fynedo
# The app itself is built without Fyne's animations: a blinking cursor
# repaints the whole window twice a second, which on a terminal server
# with twenty sessions is real CPU. The cursor still shows, steady.
APP_TAGS := $(TAGS),no_animations
BIN     := bin/linkwell
DEMO_DB ?= demo.db
# The benchmark database: a whole Primary Care Network over ten years.
# BENCH_SIZE=500000 make bench measures on a register ten times the size.
BENCH_SIZE ?= 50000
BENCH_DB ?= testdata/bench/pcn-$(BENCH_SIZE)-10y.db

# Debian packages for Fyne's cgo build (X11 and Wayland), the virtual
# display and window tools of the smoke test, screenshots and PDF checks, and
# the sqlite3 tool the audit tests tamper with a database through, and
# PostgreSQL, on which the store's tests run a second time (.ci/postgres).
DEB_PACKAGES := gcc pkg-config libgl1-mesa-dev libxcursor-dev libxrandr-dev libxinerama-dev \
	libxi-dev libxxf86vm-dev libwayland-dev libxkbcommon-dev wayland-protocols \
	xvfb xdotool imagemagick poppler-utils sqlite3 postgresql

# Packages for the release builds: the Windows cross-compiler (with its
# binutils), and file, zip and xz to check and pack what is built.
DIST_DEB_PACKAGES := gcc-mingw-w64-x86-64 file zip xz-utils

# The release builds are made by the Fyne CLI (a tool in go.mod), built here
# for this machine: `go tool fyne` would build it with the Windows CC.
FYNE        := bin/fyne
APP_VERSION := $(shell sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)

export LANG ?= en_GB.UTF-8

.PHONY: run demo test bench bench-pg-db build deps dist-deps windows linux screenshots clean

run: build
	./$(BIN)

demo: build
	./$(BIN) demo --db $(DEMO_DB) --force
	./$(BIN) --db $(DEMO_DB)

build: deps
	$(GO) build -tags $(APP_TAGS) -o $(BIN) .

test: deps
	$(GO) vet -tags $(TAGS) ./...
	# One package at a time: some tests time another desk's save during a
	# large import, which a parallel package's load would blur. A throwaway
	# PostgreSQL runs for the store's second pass and is stopped whatever
	# happens; a LINKWELL_TEST_PG already set is used as it is. In CI
	# (CI=true) a server that cannot start is a failure, not a skip.
	@if [ -n "$$LINKWELL_TEST_PG" ]; then \
		$(GO) test -tags $(TAGS) -count=1 -p 1 ./...; \
	else \
		trap '.ci/postgres stop' EXIT; \
		if pg=$$(.ci/postgres start); then eval "$$pg"; \
		elif [ "$$CI" = true ]; then exit 1; \
		else echo "PostgreSQL did not start: the store's tests run on SQLite only."; fi; \
		$(GO) test -tags $(TAGS) -count=1 -p 1 ./...; \
	fi

# BENCH_PG=postgres://… runs the store's benchmarks (./data) a second time
# on the server edition, on that database: make it once with
# `make bench-pg-db BENCH_PG=…` (an empty database: server init, then a copy
# of BENCH_DB with migrate).
BENCH_PG ?=
# migrate copies a whole practice, so it signs in: as the demo's
# administrator (its password is asked for, or taken from LINKWELL_PASSWORD).
BENCH_AS ?= admin

bench: build
	@test -f $(BENCH_DB) || { mkdir -p $(dir $(BENCH_DB)) && ./$(BIN) demo --db $(BENCH_DB) --patients $(BENCH_SIZE) --years 10 --today 2026-11-25; }
	LINKWELL_BENCH_DB=$(abspath $(BENCH_DB)) $(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem ./...
	@if [ -n '$(BENCH_PG)' ]; then \
		echo '=== the store benchmarks on PostgreSQL'; \
		LINKWELL_BENCH_DB='$(BENCH_PG)' $(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem ./data/; \
	fi

bench-pg-db: build
	@test -n '$(BENCH_PG)' || { echo 'say which empty server database: make bench-pg-db BENCH_PG=postgres://…' >&2; exit 1; }
	@test -f $(BENCH_DB) || { mkdir -p $(dir $(BENCH_DB)) && ./$(BIN) demo --db $(BENCH_DB) --patients $(BENCH_SIZE) --years 10 --today 2026-11-25; }
	./$(BIN) server init --db '$(BENCH_PG)'
	./$(BIN) migrate --as $(BENCH_AS) --from $(BENCH_DB) --to '$(BENCH_PG)'

# The pictures show the benchmark PCN, whose diaries are full. The renderer
# is a developer command, so the linkwell binary carries no test code.
screenshots: build
	@test -f $(BENCH_DB) || { mkdir -p $(dir $(BENCH_DB)) && ./$(BIN) demo --db $(BENCH_DB) --patients 50000 --years 10 --today 2026-11-25; }
	$(GO) run -tags $(TAGS) ./cmd/screenshots --db $(BENCH_DB) --out docs/screenshots

# install-missing installs those of the Debian packages $(1) that are
# missing: as root it runs apt-get; otherwise it prints the command and stops.
define install-missing
missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
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
endef

# deps installs the Debian packages the build needs when any is missing.
deps:
	@$(call install-missing,$(DEB_PACKAGES))

dist-deps:
	@$(call install-missing,$(DIST_DEB_PACKAGES))

$(FYNE): go.mod go.sum
	$(GO) build -o $@ fyne.io/tools/cmd/fyne

# windows: dist/linkwell-windows-amd64.zip, holding Linkwell.exe (a GUI
# executable with the icon, version and manifest, and screen-reader support)
# and README.txt for the practice's IT (CRLF, for Notepad). The Fyne CLI adds
# one to Build in FyneApp.toml each time it packages; the file is put back.
# checkexe reads the executable, which cannot be run here (its own test
# first).
windows: dist-deps $(FYNE)
	rm -rf dist/windows dist/linkwell-windows-amd64.zip && mkdir -p dist/windows
	cp FyneApp.toml bin/FyneApp.toml.orig
	CC=x86_64-w64-mingw32-gcc GOARCH=amd64 $(FYNE) package -os windows -release -tags $(APP_TAGS),accessibility; \
		s=$$?; mv bin/FyneApp.toml.orig FyneApp.toml; exit $$s
	mv Linkwell.exe dist/windows/Linkwell.exe
	sed 's/$$/\r/' packaging/windows/README.txt > dist/windows/README.txt
	file dist/windows/Linkwell.exe
	file dist/windows/Linkwell.exe | grep -q 'PE32+ executable (GUI) x86-64'
	LINKWELL_TEST_CHECKEXE=1 $(GO) test -count=1 ./packaging/checkexe
	$(GO) run ./packaging/checkexe -name Linkwell -version $(APP_VERSION) dist/windows/Linkwell.exe
	cd dist/windows && zip -q -X ../linkwell-windows-amd64.zip Linkwell.exe README.txt
	unzip -l dist/linkwell-windows-amd64.zip

# linux: dist/linkwell-linux-amd64.tar.xz, the Fyne CLI's tarball: the
# binary, a .desktop file, the icon and a Makefile that installs them
# (`sudo make install`, or `make user-install` for one user).
linux: deps dist-deps $(FYNE)
	rm -f dist/linkwell-linux-amd64.tar.xz Linkwell.tar.xz && mkdir -p dist
	cp FyneApp.toml bin/FyneApp.toml.orig
	$(FYNE) package -os linux -release -tags $(APP_TAGS); \
		s=$$?; mv bin/FyneApp.toml.orig FyneApp.toml; exit $$s
	mv Linkwell.tar.xz dist/linkwell-linux-amd64.tar.xz
	tar -tJvf dist/linkwell-linux-amd64.tar.xz
	tar -tJf dist/linkwell-linux-amd64.tar.xz | grep -q 'bin/linkwell$$'

clean:
	rm -rf bin dist
