#!/usr/bin/env bash
# Makefile.pipeline reruns exactly the stages a changed variable feeds: for each
# change, the files rewritten must be those of the stages that use the
# variable and of the stages after them, and no other. Also: a rerun without a
# change does nothing (make -q agrees), the default target leaves the duel and
# SFT stages alone, every variable is in the help and the README, and the
# Makefile runs from another folder (this test runs it from a scratch folder).
#   tests/pipeline/stamps.sh BIN_DIR
set -euo pipefail

bin=$(cd "$1" && pwd)
repo=$(cd "$(dirname "$0")/../.." && pwd)
makefile=$repo/Makefile.pipeline
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

pipeline() { make --no-print-directory -f "$makefile" BIN="$bin" OUT=out "$@"; }

# Runs the pipeline with the given arguments and checks which output files it
# rewrote (stamps left out) against the expected list, sorted, one a line.
# Files written within one tick of the file system's clock look equally old,
# so the marker is followed by a short pause.
expect_rebuilt() {
  local what=$1 expected=$2
  shift 2
  touch marker
  sleep 0.05
  if ! pipeline "$@" > make.log 2>&1; then
    fail "$what: make failed"
    cat make.log >&2
    return
  fi
  local rebuilt
  rebuilt=$(find out -type f -newer marker ! -path 'out/.stamps/*' | sort)
  if [[ "$rebuilt" != "$expected" ]]; then
    fail "$what: rewrote"
    diff <(echo "$expected") <(echo "$rebuilt") | sed 's/^/    /' >&2 || true
  fi
}

chain_after_pairs="out/dataset/README.md
out/dataset/data/test.jsonl
out/dataset/data/train.jsonl
out/pairs.jsonl
out/pairs.stats.json
out/splits.stats.json
out/splits/test.jsonl
out/splits/train.jsonl
out/splits/validation.jsonl"
chain_after_grades="out/agreement.json
out/dataset/README.md
out/dataset/data/test.jsonl
out/dataset/data/train.jsonl
out/items.jsonl
out/pairs.jsonl
out/pairs.stats.json
out/splits.stats.json
out/splits/test.jsonl
out/splits/train.jsonl
out/splits/validation.jsonl"
dataset="out/dataset/README.md
out/dataset/data/test.jsonl
out/dataset/data/train.jsonl"
splits="out/splits.stats.json
out/splits/test.jsonl
out/splits/train.jsonl
out/splits/validation.jsonl"
duel="out/duel-routes.stats.json
out/duel.json
out/duel/defeat.jsonl
out/duel/final.jsonl
out/duel/parse-fail.jsonl
out/duel/refined.jsonl
out/judged.jsonl
out/report.html
out/report.md"
sft=""
for mix in balanced easy-heavy hard-heavy medium-heavy; do
  sft+="out/sft/$mix.alpaca.jsonl"$'\n'"out/sft/$mix.csv"$'\n'"out/sft/$mix.jsonl"$'\n'"out/sft/$mix.summary.csv"$'\n'
done
sft=$(printf '%s' "$sft" | sed '/^$/d' | sort)
sft_all=$(printf '%s\nout/sft/datasets_summary.csv\n' "$sft" | sort)

# The default target: the chain, no duel, no SFT.
expect_rebuilt "default target" "$(printf '%s\nout/grades.jsonl\n' "$chain_after_grades" | sort)"
[[ -e out/judged.jsonl || -e out/sft ]] && fail "the default target built the duel or SFT stages"

expect_rebuilt "duel and sft targets" "$(printf '%s\n%s\n' "$duel" "$sft_all" | sort)" duel sft
expect_rebuilt "a rerun without a change" "" all duel sft
pipeline -q all duel sft || fail "make -q says a rerun without a change has work to do"

expect_rebuilt "EXPORT_FORMAT=trl-chat" "$dataset" EXPORT_FORMAT=trl-chat
expect_rebuilt "EXPORT_FORMAT=trl-chat again" "" EXPORT_FORMAT=trl-chat
expect_rebuilt "EXPORT_FLAGS" "$dataset" EXPORT_FORMAT=trl-chat EXPORT_FLAGS='--system "You write D3 charts."'
expect_rebuilt "EXPORT_FORMAT and EXPORT_FLAGS back" "$dataset"
expect_rebuilt "CONSENSUS_FLAGS" "$chain_after_grades" CONSENSUS_FLAGS='--keep type'
expect_rebuilt "CONSENSUS_FLAGS again" "" CONSENSUS_FLAGS='--keep type'
# The values are compared, not its spelling: extra spaces are the same flags.
expect_rebuilt "CONSENSUS_FLAGS with extra spaces" "" CONSENSUS_FLAGS='--keep   type'
expect_rebuilt "CONSENSUS_FLAGS back" "$chain_after_grades"
expect_rebuilt "PAIRUP_FLAGS" "$chain_after_pairs" PAIRUP_FLAGS='--min-margin 1'
expect_rebuilt "PAIRUP_FLAGS back" "$chain_after_pairs"
# The default seed spelt out: other flags, the same split (so the same files).
expect_rebuilt "SPLIT_FLAGS" "$(printf '%s\n%s\n' "$dataset" "$splits" | sort)" \
  SPLIT_FLAGS='--hash prompt --ratios 80,10,10 --names train,validation,test --seed 0'
expect_rebuilt "SPLIT_FLAGS back" "$(printf '%s\n%s\n' "$dataset" "$splits" | sort)"

# Another file at another path, with the same bytes and an old time.
cp -p "$repo/examples/responses.jsonl" responses.jsonl
cp -p "$repo/examples/challenges.jsonl" prompts.jsonl
touch -d '2001-01-01' responses.jsonl prompts.jsonl
expect_rebuilt "RESPONSES" "$chain_after_pairs" RESPONSES=responses.jsonl
expect_rebuilt "PROMPTS" "$chain_after_pairs" RESPONSES=responses.jsonl PROMPTS=prompts.jsonl
expect_rebuilt "RESPONSES and PROMPTS again" "" RESPONSES=responses.jsonl PROMPTS=prompts.jsonl
expect_rebuilt "RESPONSES and PROMPTS back" "$chain_after_pairs"

# A grades folder, then a grader file added to it with an old time: the file
# list is in the stamp, so the new file counts although it is older than the output.
mkdir grades
cp -p "$repo/examples/grades/alice.csv" "$repo/examples/grades/bob.csv" grades/
touch -d '2001-01-01' grades/*.csv
everything_in_chain=$(printf '%s\nout/grades.jsonl\n' "$chain_after_grades" | sort)
expect_rebuilt "GRADES" "$everything_in_chain" GRADES=grades
cp -p "$repo/examples/grades/carol.csv" grades/
touch -d '2001-01-01' grades/carol.csv
expect_rebuilt "a grader file added to GRADES" "$everything_in_chain" GRADES=grades
expect_rebuilt "GRADES again" "" GRADES=grades
expect_rebuilt "CSV2JSONL_FLAGS" "$everything_in_chain" GRADES=grades CSV2JSONL_FLAGS=--strings
expect_rebuilt "GRADES back" "$everything_in_chain"

# The duel stages.
expect_rebuilt "ROUTE_FLAGS" "$duel" duel ROUTE_FLAGS='--field duel.score --edges 60,80 --names defeat,refined,final'
expect_rebuilt "ROUTE_FLAGS back" "$duel" duel
expect_rebuilt "REPORT_FLAGS" "out/report.html
out/report.md" duel REPORT_FLAGS='--title Duel'
expect_rebuilt "DUEL_FLAGS" "$duel" duel REPORT_FLAGS='--title Duel' DUEL_FLAGS='--min-valid-frac 0.5'
cp -p "$repo/examples/duel/turns.jsonl" turns.jsonl
expect_rebuilt "DUEL_TURNS" "$duel" duel REPORT_FLAGS='--title Duel' DUEL_FLAGS='--min-valid-frac 0.5' DUEL_TURNS=turns.jsonl
expect_rebuilt "duel variables back" "$duel" duel

# The SFT stages.
expect_rebuilt "SFT_FLAGS" "$sft_all" sft SFT_FLAGS='--require passed --by difficulty --dedup problem_id --seed 5'
expect_rebuilt "SFT_FLAGS back" "$sft_all" sft
cp -p "$repo/examples/sft/candidates.jsonl" candidates.jsonl
expect_rebuilt "SFT_CANDIDATES" "$sft_all" sft SFT_CANDIDATES=candidates.jsonl
expect_rebuilt "SFT_CANDIDATES back" "$sft_all" sft
expect_rebuilt "SFT_MIXES" "out/sft/datasets_summary.csv" sft SFT_MIXES='balanced easy-heavy hard-heavy medium-heavy'
expect_rebuilt "SFT_MIXES back" "out/sft/datasets_summary.csv" sft

# Nothing was left to do by any of the above.
expect_rebuilt "a last rerun without a change" "" all duel sft

# A grades folder without CSV files is an error that says so, every time (the
# grade records of the last good run stay, older than the stage's stamp).
mkdir empty-grades
for attempt in first second; do
  if pipeline GRADES=empty-grades > make.log 2>&1; then
    fail "an empty GRADES folder did not fail the $attempt time"
  elif ! grep -q "no grader CSV files (\*.csv) in 'empty-grades' (set GRADES=folder)" make.log; then
    fail "an empty GRADES folder: unexpected message the $attempt time"
    cat make.log >&2
  fi
done

# Every variable set with ?= is in the help and in the README.
help=$(make --no-print-directory -f "$makefile" help)
for variable in $(sed -n 's/^\([A-Z][A-Z0-9_]*\) ?=.*/\1/p' "$makefile"); do
  grep -q "^  $variable " <<< "$help" || fail "variable $variable is not in 'make -f Makefile.pipeline help'"
  grep -q "\`$variable\`" "$repo/README.md" || fail "variable $variable is not in README.md"
done

if ((failures)); then
  echo "pipeline/stamps: $failures failures" >&2
  exit 1
fi
echo "pipeline/stamps: every change reran exactly its stages"
