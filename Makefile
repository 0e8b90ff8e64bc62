# queuesim: the commands of a fresh machine. `make demo` and `make test` install what is missing.
SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
export PATH := /opt/swift/usr/bin:$(PATH)

.PHONY: deps build release test bench demo clean

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

## test: every unit, validation and end-to-end test.
test: deps
	$(SWIFT) test

## bench: the engine benchmark against SimPy, measured one after the other in the same run.
bench: deps
	bash Benchmarks/run.sh

clean:
	rm -rf .build
