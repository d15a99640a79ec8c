# Sourced by the bad-input cases' cmd files (bash, in the case's scratch folder).
BADLINES="$ROOT/tests/bad-input/badlines.py"

# one_by_one GOOD TOOL [ARGS...]: for every generic bad variant of GOOD, runs
# TOOL [ARGS...] on a file holding GOOD, the bad line, GOOD (the bad line is
# line 2) and prints "NAME: exit=X out=BYTES" and the tool's stderr.
one_by_one() {
  local good="$1"; shift
  python3 "$BADLINES" variants "$good" > variants.jsonl
  local i=0 name
  for name in $(python3 "$BADLINES" names); do
    i=$((i + 1))
    { printf '%s\n' "$good"; sed -n "${i}p" variants.jsonl; printf '%s\n' "$good"; } > in.jsonl
    "$@" in.jsonl > out.txt 2> err.txt
    echo "$name: exit=$? out=$(wc -c < out.txt)"
    cat err.txt
  done
}

# rejects_match FILE: FILE equals bad.jsonl byte for byte (see badlines.py mix).
rejects_match() {
  if cmp -s "$1" bad.jsonl; then
    echo "$1: the $(wc -l < bad.jsonl) bad lines, byte for byte"
  else
    echo "$1: DIFFERS from the bad lines"
  fi
}
