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
	@printf '  %-28s agreement report\n' out/demo/agreement.json
	@echo "first grade record (out/demo/grades.jsonl):"
	@head -n 1 out/demo/grades.jsonl
	@echo "first item record (out/demo/items.jsonl):"
	@head -n 1 out/demo/items.jsonl
	@echo "agreement (out/demo/agreement.json), per dimension:"
	@python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))["dimensions"]; [print("  %s: alpha interval %.3f, ordinal %.3f, over %d items" % (k, v["alpha_interval"], v["alpha_ordinal"], v["units"])) for k, v in d.items()]' out/demo/agreement.json

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

bench: build
	bench/csv2jsonl.sh

clean:
	rm -rf $(BUILD) out
