// turns: agent trajectories -> one turn record per sampled assistant turn
// (the history before it and the turn itself as the reference), sampled by
// hash so that the same turns are chosen on any machine and any sharding.
//
// The story: options -> settings (make_settings); read the side files (ids,
// side records); then each trajectory line: parse, find its id (excluded or
// not included: counted and passed over), map its messages once
// (Trajectory); each assistant turn goes through the rules in order (--turns,
// --min-history, --rate, --skip-if, --dedup-prefix, --max-chars), its record
// is built (TurnRecordWriter) and goes to the TurnSink: written in input order,
// or held in the samples (--sample, --per-instance) and written by rank at the
// end. Then --stats and the summary line.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <fmt/format.h>
#include <simdjson.h>
#include <xxhash.h>

#include "prefline/cli/help.hpp"
#include "prefline/cli/progress.hpp"
#include "prefline/cli/run_summary.hpp"
#include "prefline/cli/tool.hpp"
#include "prefline/io/input.hpp"
#include "prefline/io/jsonl_reader.hpp"
#include "prefline/io/output.hpp"
#include "prefline/io/output_set.hpp"
#include "prefline/json/dom_value.hpp"
#include "prefline/json/field_census.hpp"
#include "prefline/json/validate.hpp"
#include "prefline/random/hashing.hpp"
#include "prefline/turns/merge.hpp"
#include "prefline/turns/settings.hpp"
#include "prefline/turns/side_records.hpp"
#include "prefline/turns/trajectory.hpp"
#include "prefline/turns/turn_record.hpp"
#include "prefline/turns/turn_sink.hpp"

namespace {

namespace turns = prefline::turns;
using turns::Options;
using turns::Role;
using turns::Settings;

constexpr std::string_view tool = turns::tool_name;

constexpr std::string_view help_head = R"HELP(Usage: turns [OPTIONS] [FILE...]

Cut agent trajectories into training prompts: one turn record per chosen
assistant turn, holding the chat history before the turn and the turn itself
as the reference answer. Sampling is by hash of the turn, never of its place,
so the same turns are chosen on any machine, in any file order, from one file
or from shards. Reads JSON Lines (one trajectory per line) from the FILEs or
standard input (a Parquet set is converted once first: duckdb -c "COPY
(SELECT * FROM 'x.parquet') TO 'x.jsonl'"); writes JSON Lines.

Which layout do you have?
  {"instance_id":..,"messages":[{"role":"user","content":".."},..]}
        the defaults (SWE-ZERO, OpenAI messages with tool_calls)
  {"instance_id":..,"trajectory":[{"role":"ai","text":".."},..]}
        --messages trajectory --content text --roles ai=assistant
Every message comes out as an OpenAI message {role, content[, tool_calls,
tool_call_id, name]}: tool_calls (any JSON array, its arguments unchanged),
tool_call_id and name are copied when the message has them.

Reading:
      --messages FIELD    the array of messages of a trajectory (default
                          messages)
      --role FIELD        a message's role (default role)
      --content FIELD     a message's text: a string, an array of parts or
                          null; missing is null (default content)
      --roles MAP         NAME=ROLE pairs, comma-separated, for roles named
                          otherwise (e.g. ai=assistant,human=user); ROLE one of
                          system, user, assistant, tool (default: none; any
                          other role is a bad record naming it)
      --id FIELD          the trajectory's instance id, a string or a number;
                          written under the same name (default instance_id)
      --keep FIELDS       trajectory fields copied into every turn record,
                          comma-separated, in this order (default: none); a
                          field a trajectory lacks is left out

Cutting (assistant turns are numbered from 1 in each trajectory):
      --turns LIST        which assistant turns: N, -N (from the last; -1 is
                          the last), FROM:TO (inclusive, either side may be
                          left out), comma-separated, e.g. 2: or -1 or 1,3
                          (default: every turn)
      --min-history N     leave out a turn with fewer than N messages before
                          it (default 1)
      --skip-if REGEX     leave out a turn whose reference matches REGEX
                          (ECMAScript syntax, searched in its content and in
                          its tool calls' function names and arguments), e.g.
                          a malformed tool-call opening (default: none)
      --max-chars N       trim a history above N characters (Unicode code
                          points of its messages as written): the oldest
                          messages go first, except the system message (the
                          first message, if it is one) and the first user
                          message; an assistant message with tool calls and
                          the tool messages after it go together. A history
                          still above N is left out (default 0: no limit)

Sampling (a turn's rank is XXH3-64 with seed --seed of the key
"<id>\x1f<hash as 16 hex digits>\x1f<turn>", the hash being XXH3-64 (seed 0)
of the trajectory's line as read (without its line end), or with
--dedup-prefix of the history's messages as written, comma-separated):
      --rate P            keep a turn when its rank < P * 2^64, 0 < P <= 1
                          (default 1: every turn)
      --sample N          keep exactly N turns, the N of lowest rank (all of
                          them when there are fewer): uniform over the turns,
                          and the same N from one file or from shards read in
                          any order (default 0: no sample)
      --per-instance K    keep at most K turns per instance id, the K of
                          lowest rank (default 0: no limit); before --sample
                          when both are given (then only the records that
                          can still be among the N are held)
      --dedup-prefix      keep one turn of identical histories of an instance
                          (many rollouts share their first turns): equal
                          histories have equal ranks; without --sample and
                          --per-instance the first one read is kept, with them
                          the one whose record (without its source) has the
                          lowest XXH3-64
      --seed N            the hash seed (default 0)

Filters and joins:
      --exclude FILE      leave out the trajectories whose id is a line of
                          FILE (one id a line; a number's id is its JSON text)
      --include FILE      keep only the trajectories whose id is a line of
                          FILE
      --join FILE         JSON Lines of side records (e.g. the PR of each
                          instance), attached to each turn under --into
      --on FIELD          with --join: the side records' key field, matched
                          against the --id value (default: the --id field)
      --into FIELD        with --join: the turn record's field for the side
                          record (required with --join); null when the
                          instance has none, which is counted
      --require-join      a trajectory without a side record is a bad record
                          instead of a null --into

Statistics:
      --stats FILE        write the run's counts as one JSON object (FILE
                          appears with the output, only when the whole run
                          succeeds): {trajectories, excluded, not_included,
                          turns, not_selected, short_history, rate, skip_if,
                          duplicate_history, too_long, per_instance, sample,
                          written, trimmed, joined, join_missing}: trajectories
                          read (excluded ones included), their assistant turns
                          (turns, excluded trajectories' not counted), the
                          turns each rule left out, in the order the rules
                          apply, the turns written and, of those, the ones
                          trimmed, joined and without a side record

Shards (scripts/prefline-dask --stage turns runs these; docs/SCALING.md):
      --with-hash         also write each turn's rank as source.hash, 16
                          lower-case hex digits, the last member of source
                          (default: not written)
      --merge-sample N    read turn records written with --with-hash (e.g.
                          the outputs of --sample N runs over shards, one
                          after the other) instead of trajectories, and keep
                          the N of lowest rank in order of rank: the records
                          one --sample N run over the whole input writes
                          (source.hash left out unless --with-hash is given;
                          with --dedup-prefix, records of equal rank are one,
                          as in --dedup-prefix runs). Records of equal rank
                          and tie keep their input order (default 0: off)
      --stdin-name NAME   the file name standard input stands for, in
                          source.file and in messages (default -)
      --first-line N      the line number of standard input's first line
                          (default 1): a shard cut from a larger file is
                          numbered as that file

)HELP";

constexpr prefline::CommonHelp common_help{
    .tool = tool,
    .skip_invalid = "skip bad trajectories instead of stopping at the first one; at the end 'turns: skipped N "
                    "invalid records' goes to stderr, exit 0"};

constexpr std::string_view help_tail = R"HELP(
Turn record: {<--keep fields>, <--id field>, "source": {"file", "line",
"turn"[, "hash"]}, "messages": [the history, trimmed by --max-chars],
"reference": {the assistant message}, <--into field>}. source.file is the
input file as named ("-" for standard input, or --stdin-name), source.line
its line, source.turn the assistant turn's number (1-based), source.hash
its rank (--with-hash). Records come in input order; with
--sample or --per-instance, in order of rank (equal ranks, i.e. equal keys,
by XXH3-64 of the record without its source), so the output is the same
whatever the input's order.

For generate, the messages are the prompt: generate --models models.json
turns.jsonl. For duel-judge, the reference is the king (the set's own
answer) and a model's answer the challenger:
  generate --models models.json --as challenger turns.jsonl \
    | jq -c '.king = .reference.content' | duel-judge --judges judges.json

Bad records: not a JSON object, invalid JSON, the --id field missing or not
a string or number, the --messages field missing or not an array, a message
that is not an object, without a --role field, with a role that is neither
system, user, assistant, tool nor mapped by --roles, a content that is not a
string, array or null, tool_calls that are not an array, tool_call_id or name
not a string; with --require-join, an id without a side record. A field that
no trajectory has is an error (exit 1) naming what records have.

Exit status:
  0  success (also when the reader of standard output goes away early)
  1  bad input (message 'turns: FILE:LINE: reason') or a runtime error
  2  bad option or option value (nothing is read)

Example:
  turns --sample 1000 --per-instance 2 --max-chars 60000 --skip-if '<function=[^>]*$' \
    --join prs.jsonl --into pr --stats turns-stats.json trajectories.jsonl > turns.jsonl
)HELP";

// --merge-sample N: turn records with source.hash in, their bottom N out.
void run_merge(const Options& options, const Settings& settings) {
  prefline::OutputSet outputs;
  prefline::Output& out = outputs.add(options.common.output);
  prefline::BadRecords bad(options.common, outputs);
  prefline::Progress progress(std::string(tool), options.common.quiet);
  turns::BottomSample<std::string> sample(settings.merge_sample, options.dedup_prefix);
  turns::HugePageHeap heap;
  simdjson::dom::parser parser;
  std::uint64_t read = 0;
  for (const auto& name : prefline::inputs_or_stdin(options.common.files)) {
    prefline::InputFile input(name);
    prefline::JsonlReader lines(input);
    prefline::JsonlLine line;
    std::string record;
    while (lines.next(line)) {
      progress.tick();
      simdjson::dom::element root;
      if (auto error = parser.parse(line.text.data(), line.text.size(), false).get(root)) {
        bad.handle(name, line.number, prefline::json_error_reason(error), line.text);
        continue;
      }
      if (!root.is_object()) {
        bad.handle(name, line.number, "expected a JSON object (a turn record)", line.text);
        continue;
      }
      std::string_view text = line.text;
      if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
      record.assign(text);
      record.push_back('\n');  // as the record was written, so that its tie hash is the same
      const std::optional<turns::SourceSpan> span = turns::find_source(record);
      const std::optional<std::uint64_t> rank = span ? turns::source_hash(record, *span) : std::nullopt;
      if (!rank) {
        bad.handle(name, line.number,
                   "no 'source.hash' (16 hex digits, the last member of 'source'); --merge-sample reads turn records "
                   "written by turns --with-hash",
                   line.text);
        continue;
      }
      ++read;
      if (!sample.may_take(*rank)) continue;
      heap.advise();
      std::string kept;
      if (options.with_hash) kept = record;
      else turns::append_without_hash(kept, record, *span);
      sample.add(*rank, turns::tie_hash(record, *span), std::move(kept));
    }
  }
  progress.finish();
  for (const auto& entry : sample.entries()) {
    out.buffer().append(entry.payload);
    out.maybe_flush();
  }
  outputs.commit();
  bad.finish(tool);
  prefline::RunSummary summary(tool, "turns");
  summary.set_read(read);
  summary.set_written(sample.entries().size());
  summary.left_out("sample", read - sample.entries().size(), fmt::format("not in --merge-sample {}", options.merge_sample));
  summary.print(options.common.quiet);
}

void run(const Options& options) {
  const Settings settings = make_settings(options);
  if (settings.merge_sample > 0) return run_merge(options, settings);
  prefline::OutputSet outputs;  // -o, --stats, --rejects: all or none
  prefline::Output& out = outputs.add(options.common.output);
  prefline::BadRecords bad(options.common, outputs);
  prefline::Progress progress(std::string(tool), options.common.quiet);

  std::optional<std::unordered_set<std::string>> excluded, included;
  if (!options.exclude.empty()) excluded = turns::read_id_file(options.exclude);
  if (!options.include.empty()) included = turns::read_id_file(options.include);
  std::unordered_map<std::string, std::string> side;
  if (!options.join.empty()) side = turns::read_side_records(options.join, settings.on);

  prefline::FieldCensus census;
  const std::size_t id_watch = census.watch(options.id, fmt::format("id field '{}' (--id)", options.id));
  const std::size_t messages_watch =
      census.watch(options.messages, fmt::format("messages field '{}' (--messages)", options.messages));
  // Messages are censused apart: a wrong --content would otherwise give null contents silently.
  prefline::FieldCensus message_census;
  const std::size_t content_watch = message_census.watch(
      options.content, fmt::format("content field '{}' (--content)", options.content));
  const auto census_message = [&](simdjson::dom::element message, const turns::MessageInfo& info) {
    message_census.record();
    if (info.has_content) message_census.found(content_watch);
    if (message_census.wants_sample()) message_census.sample(simdjson::minify(message));
  };

  // A record without a field no record has had yet may mean a misspelt option: its error waits
  // for the end of the input, where the census names what the records have.
  struct Deferred {
    std::string file;
    std::uint64_t line = 0;
    std::string reason, text;
  };
  std::optional<Deferred> deferred;

  turns::Counts counts;
  turns::TurnSink sink(settings, options.dedup_prefix, out, counts);
  const turns::TurnRecordWriter record_writer(settings.keep, options.id, options.join.empty() ? "" : options.into);
  std::unordered_set<std::string> seen_histories;  // --dedup-prefix without sampling: XXH128 of id + history
  simdjson::dom::parser parser;
  turns::Trajectory trajectory;
  std::string id;
  prefline::Buffer record;

  for (const auto& file : prefline::inputs_or_stdin(options.common.files)) {
    prefline::InputFile input(file);
    prefline::JsonlReader lines(input);
    prefline::JsonlLine line;
    // A shard fed through a pipe is named and numbered as the file it was cut from.
    const bool piped = file == prefline::stdin_name;
    const std::string& name = piped ? options.stdin_name : file;
    const std::uint64_t lines_before = piped ? static_cast<std::uint64_t>(options.first_line - 1) : 0;
    while (lines.next(line)) {
      progress.tick();
      const std::uint64_t line_number = lines_before + line.number;
      bool missing_unseen = false;
      const auto fail = [&](std::string why) {
        if (missing_unseen && !options.common.skip_invalid) {
          if (!deferred) deferred = Deferred{name, line_number, std::move(why), std::string(line.text)};
          return;
        }
        if (deferred) bad.handle(deferred->file, deferred->line, deferred->reason, deferred->text);
        bad.handle(name, line_number, why, line.text);
      };
      simdjson::dom::element root;
      if (auto error = parser.parse(line.text.data(), line.text.size(), false).get(root)) {
        fail(prefline::json_error_reason(error));
        continue;
      }
      simdjson::dom::object object;
      if (root.get_object().get(object)) {
        fail("expected a JSON object (one trajectory per line)");
        continue;
      }
      ++counts.trajectories;
      census.record();
      if (census.wants_sample()) census.sample(line.text);
      simdjson::dom::element id_value, messages_value;
      const bool has_id = !object[options.id].get(id_value);
      const bool has_messages = !object[options.messages].get(messages_value);
      if (has_id) census.found(id_watch);
      if (has_messages) census.found(messages_watch);
      if (!has_id) {
        missing_unseen = census.found_count(id_watch) == 0;
        fail(fmt::format("no '{}' field (--id {}); the trajectory has: {}", options.id, options.id,
                         turns::field_names(object)));
        continue;
      }
      if (!turns::id_text(id_value, id)) {
        fail(fmt::format("'{}' must be a string or a number (--id {})", options.id, options.id));
        continue;
      }
      if (excluded && excluded->contains(id)) {
        ++counts.excluded;
        continue;
      }
      if (included && !included->contains(id)) {
        ++counts.not_included;
        continue;
      }
      if (!has_messages) {
        missing_unseen = census.found_count(messages_watch) == 0;
        fail(fmt::format("no '{}' field (--messages {}); the trajectory has: {}", options.messages, options.messages,
                         turns::field_names(object)));
        continue;
      }
      simdjson::dom::array messages;
      if (messages_value.get_array().get(messages)) {
        fail(fmt::format("'{}' must be an array of messages, not {}", options.messages,
                         prefline::type_name(messages_value)));
        continue;
      }
      const std::string* side_record = nullptr;
      if (!options.join.empty()) {
        if (auto at = side.find(id); at != side.end()) side_record = &at->second;
        else if (options.require_join) {
          fail(fmt::format("no side record for '{}' in {} (--join, --on {}); without --require-join the turn gets "
                           "\"{}\": null",
                           id, options.join, settings.on, options.into));
          continue;
        }
      }
      if (std::string reason = trajectory.map(settings.layout, options.messages, messages, census_message);
          !reason.empty()) {
        fail(reason);
        continue;
      }
      std::string_view line_bytes = line.text;  // without its line end: CRLF and LF files rank alike
      if (!line_bytes.empty() && line_bytes.back() == '\r') line_bytes.remove_suffix(1);
      const std::uint64_t line_hash = options.dedup_prefix ? 0 : prefline::stable_hash(line_bytes, 0);

      const std::int64_t assistant_turns = trajectory.assistant_turns();
      counts.turns += static_cast<std::uint64_t>(assistant_turns);
      std::int64_t turn = 0;
      for (std::size_t at = 0; at < trajectory.size(); ++at) {
        if (trajectory.info(at).role != Role::assistant) continue;
        ++turn;
        if (!settings.selection.selects(turn, assistant_turns)) {
          ++counts.not_selected;
          continue;
        }
        if (at < static_cast<std::size_t>(options.min_history)) {
          ++counts.short_history;
          continue;
        }
        const std::string_view prefix = trajectory.prefix(at);
        const std::uint64_t whole_hash = options.dedup_prefix ? prefline::stable_hash(prefix, 0) : line_hash;
        const std::uint64_t rank = turns::turn_rank(id, whole_hash, static_cast<std::uint64_t>(turn), options.seed);
        if (!settings.rate.keeps(rank)) {
          ++counts.rate;
          continue;
        }
        if (settings.skip_if && turns::reference_matches(*settings.skip_if, trajectory.element(at), settings.layout)) {
          ++counts.skip_if;
          continue;
        }
        if (options.dedup_prefix && !settings.sampled()) {
          const std::string scope = fmt::format("{}\x1f{}", id, prefix);
          const XXH128_hash_t h = XXH3_128bits(scope.data(), scope.size());
          if (!seen_histories.emplace(reinterpret_cast<const char*>(&h), sizeof h).second) {
            ++counts.duplicate_history;
            continue;
          }
        }
        std::optional<turns::Trimmed> kept;
        if (settings.max_chars > 0) {
          kept = turns::trim_history(trajectory.sizes(at), settings.max_chars);
          if (!kept->fits) {
            ++counts.too_long;
            continue;
          }
        }
        if (!sink.offer(id, rank)) continue;
        turns::TurnSource source{name, line_number, turn, std::nullopt};
        if (options.with_hash) source.hash = rank;
        const turns::SourceSpan span = record_writer.write(record, object, id_value, source, trajectory, at,
                                                           kept ? &*kept : nullptr, side_record);
        turns::TurnMarks marks;
        marks.trimmed = kept && kept->trimmed;
        if (!options.join.empty()) marks.joined = side_record != nullptr ? 1 : -1;
        sink.put(rank, record.view(), span, marks);
      }
    }
  }
  progress.finish();
  census.check();
  message_census.check();
  if (deferred) bad.handle(deferred->file, deferred->line, deferred->reason, deferred->text);

  sink.finish();
  if (!options.stats.empty()) turns::write_stats(outputs.add(options.stats).buffer(), counts);
  outputs.commit();
  bad.finish(tool);

  prefline::RunSummary summary(tool, "turns");
  summary.set_read(counts.turns);
  summary.set_written(counts.written);
  summary.left_out("not_selected", counts.not_selected, fmt::format("not chosen by --turns {}", options.turns));
  summary.left_out("short_history", counts.short_history,
                   fmt::format("fewer than {} messages before the turn", options.min_history),
                   "--min-history 0 keeps them");
  summary.left_out("rate", counts.rate, fmt::format("not sampled by --rate {}", options.rate));
  summary.left_out("skip_if", counts.skip_if, "the reference matches --skip-if");
  summary.left_out("duplicate_history", counts.duplicate_history, "a history seen before, --dedup-prefix");
  summary.left_out("too_long", counts.too_long,
                   fmt::format("history above --max-chars {} even trimmed", options.max_chars),
                   "a larger --max-chars keeps them");
  summary.left_out("per_instance", counts.per_instance,
                   fmt::format("beyond --per-instance {}", options.per_instance));
  summary.left_out("sample", counts.sample, fmt::format("not in --sample {}", options.sample));
  summary.print(options.common.quiet);
  // The summary speaks of turns; trajectories without any still make an empty result that says why.
  if (counts.turns == 0 && counts.trajectories > counts.excluded + counts.not_included)
    fmt::print(stderr, "{}: {} {} read, 0 turns written: no trajectory has an assistant message (role "
                       "'assistant', or one mapped to it by --roles)\n",
               tool, counts.trajectories, counts.trajectories == 1 ? "trajectory" : "trajectories");
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  return prefline::run_tool(
      tool, prefline::help_text(help_head, common_help, help_tail), argc, argv,
      [&](CLI::App& app) {
        prefline::add_common_options(app, options.common);
        app.add_option("--messages", options.messages);
        app.add_option("--role", options.role);
        app.add_option("--content", options.content);
        app.add_option("--roles", options.roles);
        app.add_option("--id", options.id);
        app.add_option("--keep", options.keep);
        app.add_option("--turns", options.turns);
        app.add_option("--min-history", options.min_history);
        app.add_option("--skip-if", options.skip_if);
        app.add_option("--max-chars", options.max_chars);
        app.add_option("--rate", options.rate);
        app.add_option("--sample", options.sample);
        app.add_option("--per-instance", options.per_instance);
        app.add_flag("--dedup-prefix", options.dedup_prefix);
        app.add_option("--seed", options.seed);
        app.add_option("--exclude", options.exclude);
        app.add_option("--include", options.include);
        app.add_option("--join", options.join);
        app.add_option("--on", options.on);
        app.add_option("--into", options.into);
        app.add_flag("--require-join", options.require_join);
        app.add_option("--stats", options.stats);
        app.add_flag("--with-hash", options.with_hash);
        app.add_option("--merge-sample", options.merge_sample);
        app.add_option("--stdin-name", options.stdin_name);
        app.add_option("--first-line", options.first_line);
      },
      [&] { run(options); });
}
