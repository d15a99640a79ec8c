# The two commands of the README, plus the pieces they are made of.
# Everything installs what it needs first (scripts/install-deps).
BUILD ?= build
JOBS ?= 2
CMAKE_FLAGS ?=

.PHONY: all deps build demo test bench clean

all: build

deps:
	scripts/install-deps

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j$(JOBS)

# Runs the example pipeline of examples/ and says where its outputs are.
demo: build
	$(MAKE) --no-print-directory -f Makefile.pipeline BIN=$(BUILD)/bin GRADES=examples/grades OUT=out/demo
	@echo
	@echo "demo outputs (in out/demo/):"
	@for f in out/demo/*.jsonl; do printf '  %-28s %6d records\n' "$$f" "$$(wc -l < "$$f")"; done
	@echo "first record of out/demo/grades.jsonl:"
	@head -n 1 out/demo/grades.jsonl

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

bench: build
	bench/csv2jsonl.sh

clean:
	rm -rf $(BUILD) out
