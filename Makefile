# queuesim: the commands of a fresh machine. `make demo` and `make test` install what is missing.
SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
export PATH := /opt/swift/usr/bin:$(PATH)

.PHONY: deps build release install test test-report test-cluster test-deploy bench demo clean

# Where `make install` puts queuesim: $(DESTDIR)$(PREFIX)/bin and the shells' completion folders.
PREFIX ?= /usr/local
# The build `make install` installs (release; `debug` to try the target quickly).
CONFIGURATION ?= release

## deps: install GSL (libgsl-dev) through apt-get, only where pkg-config cannot find it.
deps:
	@if pkg-config --exists gsl 2>/dev/null; then \
		echo "deps: GSL $$(pkg-config --modversion gsl) found"; \
	else \
		echo "deps: installing libgsl-dev and pkg-config with apt-get"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libgsl-dev pkg-config >/dev/null; \
	fi

## build: debug build of everything.
build: deps
	$(SWIFT) build

## release: optimised build of the command-line tool.
release: deps
	$(SWIFT) build -c release --product queuesim

## install: build queuesim ($(CONFIGURATION)) and install it in $(DESTDIR)$(PREFIX)/bin, with its
## bash, zsh and fish completion scripts where those shells look under $(PREFIX)/share.
install: deps
	$(SWIFT) build -c $(CONFIGURATION) --product queuesim
	@bin="$$($(SWIFT) build -c $(CONFIGURATION) --show-bin-path)/queuesim"; \
	share="$(DESTDIR)$(PREFIX)/share"; \
	install -d "$(DESTDIR)$(PREFIX)/bin" "$$share/bash-completion/completions" "$$share/zsh/site-functions" "$$share/fish/vendor_completions.d" && \
	install -m 755 "$$bin" "$(DESTDIR)$(PREFIX)/bin/queuesim" && \
	"$$bin" --generate-completion-script bash > "$$share/bash-completion/completions/queuesim" && \
	"$$bin" --generate-completion-script zsh > "$$share/zsh/site-functions/_queuesim" && \
	"$$bin" --generate-completion-script fish > "$$share/fish/vendor_completions.d/queuesim.fish" && \
	echo "install: $(DESTDIR)$(PREFIX)/bin/queuesim, completions in $$share"

## test: every unit, validation and end-to-end test.
test: deps
	$(SWIFT) test

## test-report: render the reports of simulate, sweep, compare and plan with headless Chromium
## (installed with apt-get when missing) and check that no chart's PNG is blank.
test-report: deps
	bash scripts/test-report.sh

## test-cluster: deploy/slurm/ on a real Slurm scheduler: a one-node cluster of its own
## (slurm-wlm and munge installed with apt-get when missing, its daemons stopped when it
## ends), the documented submission, a cancelled, a requeued and a resubmitted shard, and a
## merge without a shard; scripts/test-cluster.sh says what it checks. About 1.5 minutes.
test-cluster: deps
	bash scripts/test-cluster.sh

## test-deploy: the Kubernetes manifests against the Kubernetes API schema, strictly, with
## kubernetes-validate from PyPI (installed in .build/deploy-venv/).
test-deploy:
	bash scripts/test-deploy.sh

## bench: queuesim against SimPy and Ciw (M/M/1, M/M/c, the shared-queue pipeline for one
## simulated hour), one after the other in the same run, with the ratios; then
## Benchmarks/scale.sh if present. Settings (REPEAT, DURATION, SKIP_SIMPY_PIPELINE, ...) are
## listed in Benchmarks/README.md. About 10 minutes on 2 cores.
bench: deps
	bash Benchmarks/run.sh

## validation: the long validation against queueing theory and AWS behaviour (release
## build, about 10 minutes on 2 cores); rewrites the table in docs/VALIDATION.md.
.PHONY: validation
validation: deps
	QUEUESIM_VALIDATION_REPORT=docs/VALIDATION.md QUEUESIM_LONG_VALIDATION=1 $(SWIFT) test -c release --filter ValidationTests

## calibration: run the calibration scenarios (calibration/*.yml, published measurements of
## real SQS -> Lambda mappings) with a release build and rewrite docs/CALIBRATION.md (each
## measurement, queuesim's figure, the error, the parameter it calibrates). About a minute
## after the build.
.PHONY: calibration
calibration: release
	python3 scripts/calibration.py

## demo: build in release mode, simulate the shipped shared-queue scenario (CSV in
## notebooks-data/shared-queue/), compare the three answers to "one shared queue or one per
## group?" (a shared queue, a shared fair queue, one queue and function per group; CSV in
## notebooks-data/compare-shared-queue-vs-shared-fair-queue-vs-per-group-queues/) and a noisy neighbour among a
## hundred quiet tenants on a plain and on a fair queue, and keep the text and HTML reports in
## reports/.
demo: release
	@mkdir -p reports
	.build/release/queuesim validate scenarios/*.yml
	.build/release/queuesim simulate scenarios/shared-queue.yml --report > reports/shared-queue.txt
	@cat reports/shared-queue.txt
	.build/release/queuesim compare scenarios/shared-queue.yml scenarios/shared-fair-queue.yml scenarios/per-group-queues.yml --report > reports/three-way.txt
	@cat reports/three-way.txt
	.build/release/queuesim compare scenarios/noisy-neighbour.yml scenarios/noisy-neighbour-fair.yml --report > reports/noisy-neighbour.txt
	@cat reports/noisy-neighbour.txt
	@echo "demo: CSV in notebooks-data/; charts in reports/shared-queue.html, reports/compare-shared-queue-vs-shared-fair-queue-vs-per-group-queues.html and reports/compare-noisy-neighbour-vs-noisy-neighbour-fair.html"

clean:
	rm -rf .build

## docs: regenerate the column lists of docs/OUTPUTS.md and notebooks-data/README.md from
## Sources/Reports/ColumnDictionary.swift (a test fails when they drift apart).
.PHONY: docs
docs: deps
	QUEUESIM_UPDATE_DOCS=1 $(SWIFT) test --filter ColumnDictionaryTests
