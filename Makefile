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
	@printf '  %-28s pair statistics\n' out/demo/pairs.meta.json
	@printf '  %-28s duel turns judged (%s) and routed: %s\n' out/demo/duel/ "verdicts on examples/duel/turns.jsonl" "$$(cd out/demo/duel && for f in *.jsonl; do printf '%s %s  ' $$f $$(wc -l < $$f); done)"
	@printf '  %-28s duel summary: %s\n' out/demo/duel.json "$$(python3 -c 'import json; s = json.load(open("out/demo/duel.json")); print("challenger %.2f vs king %.2f, lcb %.4f, accepted %s" % (s["challenger_score"], s["king_score"], s["lcb"], s["accepted"]))')"
	@printf '  %-28s report (and out/demo/report.html, one page with SVG charts)\n' out/demo/report.md
	@printf '  %-28s SFT mixes (make -f Makefile.pipeline sft): %s\n' out/demo/sft/ "$$(ls out/demo/sft 2>/dev/null | grep -c . ) files"
	@printf '  %-28s 80/10/10 split by prompt: %s\n' out/demo/splits/ "$$(cd out/demo/splits && for f in *.jsonl; do printf '%s %s  ' $$f $$(wc -l < $$f); done)"
	@printf '  %-28s dataset folder (%s): %s\n' out/demo/dataset/ "trl" "$$(cd out/demo/dataset && find . -type f | sort | tr '\n' ' ')"
	@echo "first grade record (out/demo/grades.jsonl):"
	@head -n 1 out/demo/grades.jsonl
	@echo "first item record (out/demo/items.jsonl):"
	@head -n 1 out/demo/items.jsonl
	@echo "first pair (out/demo/pairs.jsonl), texts cut to 60 characters:"
	@python3 -c 'import json, sys; p = json.loads(open(sys.argv[1]).readline()); m = p["metadata"]; print("  %s: %s > %s (score difference %s)" % (m["challenge"], m["chosen_model"], m["rejected_model"], m["score_difference"])); [print("  %-8s %r" % (k, p[k][:60])) for k in ("prompt", "chosen", "rejected")]' out/demo/pairs.jsonl
	@echo "agreement (out/demo/agreement.json), per dimension:"
	@python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))["dimensions"]; [print("  %s: alpha interval %.3f, ordinal %.3f, over %d items" % (k, v["alpha_interval"], v["alpha_ordinal"], v["units"])) for k, v in d.items()]' out/demo/agreement.json

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

# Each script generates its data (bench/data/, git-ignored), runs the tool and
# its peers side by side and prints the figures with the targets of DESIGN.md §4.
bench: build
	bench/csv2jsonl.sh
	bench/consensus.sh
	bench/pairup.sh
	bench/bucket.sh
	bench/duel.sh

clean:
	rm -rf $(BUILD) out
