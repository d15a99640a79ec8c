# The two commands of the README, plus the pieces they are made of.
# Everything installs what it needs first (scripts/install-deps).
BUILD ?= build
JOBS ?= 2
CMAKE_FLAGS ?=

.PHONY: all deps configure build build-tools demo demo-run test test-sanitize fuzz bench clean

all: build

deps:
	scripts/install-deps

configure: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

# Everything: the tools, the unit tests, the fuzz targets, the test server.
build: configure
	cmake --build $(BUILD) -j$(JOBS)

# The tools alone (CMake target 'tools') and the stand-in model endpoint the
# demo's generation stage asks (judge_server, a test server), in the same
# build folder as 'build', so a later 'make test' compiles only what is left.
build-tools: configure
	cmake --build $(BUILD) -j$(JOBS) --target tools judge_server

# Runs the example pipeline of examples/ (every stage of Makefile.pipeline:
# the default grades -> pairs -> dataset chain, then its duel and sft targets,
# then its generate target against the stand-in endpoint, started and stopped
# by scripts/demo-generate) and says where its outputs are.
# demo-run does the same with the tools already built (tests/readme/ runs it).
DEMO := out/demo
demo: build-tools
	$(MAKE) --no-print-directory demo-run

demo-run:
	$(MAKE) --no-print-directory -f Makefile.pipeline BIN=$(BUILD)/bin OUT=$(DEMO) all duel sft
	scripts/demo-generate $(BUILD)/bin $(DEMO)
	@echo
	@echo "demo outputs (in $(DEMO)/):"
	@for f in $(DEMO)/*.jsonl; do printf '  %-32s %6d records\n' "$$f" "$$(wc -l < "$$f")"; done
	@printf '  %-32s agreement report\n' $(DEMO)/agreement.json
	@printf '  %-32s pair statistics\n' $(DEMO)/pairs.stats.json
	@printf '  %-32s split by prompt: %s(counts in %s)\n' $(DEMO)/splits/ "$$(cd $(DEMO)/splits && for f in *.jsonl; do printf '%s %s  ' $$f $$(wc -l < $$f); done)" $(DEMO)/splits.stats.json
	@printf '  %-32s dataset folder (%s): %s\n' $(DEMO)/dataset/ "$$(sed -n 's/^EXPORT_FORMAT=//p' $(DEMO)/.stamps/dataset)" "$$(cd $(DEMO)/dataset && find . -type f | sort | tr '\n' ' ')"
	@printf '  %-32s duel turns judged (%s) and routed: %s\n' $(DEMO)/duel/ \
	  "$$(awk '/^DUEL_TURNS=/ { turns = substr($$0, 12) } /^JUDGES=/ { judges = substr($$0, 8) } END { printf "turns of %s, %s", turns, judges == "" ? "scored from their verdicts" : "by the panel " judges }' $(DEMO)/.stamps/duel)" \
	  "$$(cd $(DEMO)/duel && for f in *.jsonl; do printf '%s %s  ' $$f $$(wc -l < $$f); done)"
	@printf '  %-32s duel summary: %s\n' $(DEMO)/duel.json "$$(python3 -c 'import json, sys; s = json.load(open(sys.argv[1])); print("challenger %.2f vs king %.2f, lcb %.4f, accepted %s" % (s["challenger_score"], s["king_score"], s["lcb"], s["accepted"]))' $(DEMO)/duel.json)"
	@printf '  %-32s report (and $(DEMO)/report.html, one page with SVG charts)\n' $(DEMO)/report.md
	@printf '  %-32s SFT mixes: %s\n' $(DEMO)/sft/ "$$(cd $(DEMO)/sft && printf '%s ' *.jsonl *.csv)"
	@printf '  %-32s from the STAND-IN endpoint: %s answers, %s king/challenger turns judged and routed (%s)\n' $(DEMO)/gen/ \
	  "$$(wc -l < $(DEMO)/gen/answers.jsonl)" "$$(wc -l < $(DEMO)/gen/judged.jsonl)" \
	  "$$(python3 -c 'import json, sys, collections; print(", ".join("%s %d" % kv for kv in sorted(collections.Counter(json.loads(l)["bucket"] for l in open(sys.argv[1])).items())))' $(DEMO)/gen/judged.jsonl)"
	@echo "grade by hand, in a page (add --tty to grade in this terminal):"
	@echo "  $(BUILD)/bin/label --rate examples/responses.jsonl --prompts examples/challenges.jsonl --grader YOU --out $(DEMO)/grades"
	@echo "  (or: make -f Makefile.pipeline label GRADER=YOU; README.md, section label)"
	@echo "first grade record ($(DEMO)/grades.jsonl):"
	@head -n 1 $(DEMO)/grades.jsonl
	@echo "first item record ($(DEMO)/items.jsonl):"
	@head -n 1 $(DEMO)/items.jsonl
	@echo "first pair ($(DEMO)/pairs.jsonl), texts cut to 60 characters:"
	@python3 -c 'import json, sys; p = json.loads(open(sys.argv[1]).readline()); m = p["metadata"]; print("  %s: %s > %s (score difference %s)" % (m["challenge"], m["chosen_model"], m["rejected_model"], m["score_difference"])); [print("  %-8s %r" % (k, p[k][:60])) for k in ("prompt", "chosen", "rejected")]' $(DEMO)/pairs.jsonl
	@echo "agreement ($(DEMO)/agreement.json), per dimension:"
	@python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))["dimensions"]; [print("  %s: alpha interval %.3f, ordinal %.3f, over %d items" % (k, v["alpha_interval"], v["alpha_ordinal"], v["units"])) for k, v in d.items()]' $(DEMO)/agreement.json
	@echo "stages and their variables: make -f Makefile.pipeline help"

# The whole suite, then again under AddressSanitizer + UndefinedBehaviorSanitizer.
test: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)
	$(MAKE) --no-print-directory test-sanitize

# The unit, CLI and fuzz-replay tests with every tool and test built with
# -fsanitize=address,undefined (any report fails the test). Debug (-O0): it
# compiles faster, which costs CI more than the slower run does. Built with
# clang (Debian's clang 14, and libclang-rt-14-dev for its sanitizer
# runtimes): it compiles this code under the sanitizers in about two thirds
# of g++'s time (tools/duel-judge.cpp: 23 s against 36 s), and the code is
# then checked by a second compiler's warnings too (SANITIZE_CXX=g++ to
# use g++). Left out
# (SANITIZE_CTEST_ARGS), to keep `make test` within the CI budget: the dask
# tests (~200 s starting LocalClusters; the tools they run are covered by the
# CLI cases), judge_server/smoke and judge_server/model (check the test server itself, ~50 s each), and
# the cases that only repeat covered code at scale: the 100 MB lines and
# consensus split-merge-equals-one-run (~60 s; fuzz_consensus replays the
# partial/merge round trip under the sanitizers); install/consumer (the
# install tree and its package config do not depend on the sanitizers); and
# readme/* and pipeline/* (~30 s; they check the README's commands and
# Makefile.pipeline's stamps, whose tools the CLI cases cover); and
# reliability/* (~100 s of test time: they check outcomes on files, signals
# and exit codes, which do not depend on the sanitizers, by running each tool
# many times; the error paths they reach are run by CLI and bad-input cases
# under the sanitizers); and label/browser (~25 s of Chromium: the server code
# it reaches runs under the sanitizers in label/http-api and label/terminal)
# and label/bench-quick and bench/* (checks of the bench scripts' outputs). The unit
# tests run as one process, not one per test as ctest runs them: the
# sanitizer runtime's start-up, paid 476 times, cost ~200 s of test time.
SANITIZE_BUILD ?= build-sanitize
SANITIZE_CTEST_ARGS ?= -E '^(unit/.*|dask/.*|judge_server/smoke|judge_server/model|install/consumer|cli/consensus/split-merge-equals-one-run|bad-input/.*-100mb-line|readme/.*|pipeline/.*|reliability/.*|label/browser|label/bench-quick|bench/.*)$$'
SANITIZE_ENV = ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1 \
               UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1
SANITIZE_CXX ?= clang++
test-sanitize: deps
	scripts/install-deps $(if $(filter clang++,$(SANITIZE_CXX)),clang libclang-rt-14-dev)
	cmake -S . -B $(SANITIZE_BUILD) -DCMAKE_BUILD_TYPE=Debug -DPREFLINE_SANITIZE=ON -DCMAKE_CXX_COMPILER=$(SANITIZE_CXX) $(CMAKE_FLAGS)
	cmake --build $(SANITIZE_BUILD) -j$(JOBS)
	cd $(SANITIZE_BUILD) && $(SANITIZE_ENV) ./bin/unit_tests --gtest_brief=1
	$(SANITIZE_ENV) ctest --test-dir $(SANITIZE_BUILD) --output-on-failure -j$(JOBS) $(SANITIZE_CTEST_ARGS)

# libFuzzer (clang) + ASan + UBSan: each target of tests/fuzz/ for FUZZ_SECONDS
# from a copy of its committed seed corpus (tests/fuzz/corpus/<target>/, never
# written to). New inputs stay in $(FUZZ_BUILD)/corpus/, crashes go to
# $(FUZZ_BUILD)/crashes/ (make fails on the first); a crash input belongs in
# the committed corpus as a regression seed once fixed.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= csv jsonl consensus duel
FUZZ_FLAGS ?=
fuzz:
	scripts/install-deps clang libclang-rt-14-dev
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DPREFLINE_LIBFUZZER=ON $(CMAKE_FLAGS)
	cmake --build $(FUZZ_BUILD) -j$(JOBS) --target $(addprefix fuzz_,$(FUZZ_TARGETS))
	@set -e; for target in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$target $(FUZZ_BUILD)/crashes/$$target; \
	  cp tests/fuzz/corpus/$$target/* $(FUZZ_BUILD)/corpus/$$target/; \
	  log=$(FUZZ_BUILD)/fuzz_$$target.log; \
	  echo "fuzz: $$target for $(FUZZ_SECONDS) s (log: $$log)"; \
	  if ! $(FUZZ_BUILD)/bin/fuzz_$$target -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 \
	      -artifact_prefix=$(FUZZ_BUILD)/crashes/$$target/ $(FUZZ_FLAGS) $(FUZZ_BUILD)/corpus/$$target > $$log 2>&1; then \
	    tail -n 40 $$log; echo "fuzz: $$target FAILED; the input is in $(FUZZ_BUILD)/crashes/$$target/"; exit 1; \
	  fi; \
	  grep -E '^stat::(number_of_executed_units|peak_rss_mb)' $$log; \
	done

# bench/run.sh runs every script of bench/: each generates its data (bench/data/,
# git-ignored), runs the tool and its peers side by side and prints the figures
# with the targets of DESIGN.md §4; then the figures go to bench/results.json,
# docs/PERFORMANCE.md and docs/performance.svg. Only the measured binaries are
# built (Release), for this machine's CPU (-DPREFLINE_NATIVE=ON: simdjson picks
# its SIMD kernels at compile time), in a folder of their own, so that build/
# keeps binaries that run on any x86-64. Settings: see bench/run.sh (e.g. make
# bench ROWS=100000).
BENCH_BUILD ?= build-bench
BENCH_BINARIES := csv2jsonl consensus pairup bucket duel-judge generate votes turns label judge_server \
                  jsonl2csv export balance report
bench: deps
	cmake -S . -B $(BENCH_BUILD) -DCMAKE_BUILD_TYPE=Release -DPREFLINE_NATIVE=ON $(CMAKE_FLAGS)
	cmake --build $(BENCH_BUILD) -j$(JOBS) --target $(BENCH_BINARIES)
	BIN=$(BENCH_BUILD)/bin bench/run.sh

clean:
	rm -rf $(BUILD) $(SANITIZE_BUILD) $(FUZZ_BUILD) $(BENCH_BUILD) out
