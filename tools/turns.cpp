// turns: agent trajectories -> one turn record per sampled assistant turn
// (the history before it and the turn itself as the reference), sampled by
// hash so that the same turns are chosen on any machine and any sharding.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

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
#include "prefline/json/writer.hpp"
#include "prefline/random/hashing.hpp"
#include "prefline/turns/cutting.hpp"
#include "prefline/turns/layout.hpp"
#include "prefline/turns/sampling.hpp"

namespace {

namespace turns = prefline::turns;
using turns::Role;

constexpr std::string_view tool = "turns";

// Admissions to the per-instance samples between two sweeps of records that can no longer be
// chosen, beyond twice the sample: sweeps cost a pass over every instance.
constexpr std::uint64_t sweep_slack = 4096;

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

)HELP";

constexpr prefline::CommonHelp common_help{
    .tool = tool,
    .skip_invalid = "skip bad trajectories instead of stopping at the first one; at the end 'turns: skipped N "
                    "invalid records' goes to stderr, exit 0"};

constexpr std::string_view help_tail = R"HELP(
Turn record: {<--keep fields>, <--id field>, "source": {"file", "line",
"turn"}, "messages": [the history, trimmed by --max-chars], "reference":
{the assistant message}, <--into field>}. source.file is the input file as
named ("-" for standard input), source.line its line, source.turn the
assistant turn's number (1-based). Records come in input order; with
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

struct Options {
  prefline::CommonOptions common;
  std::string messages = "messages";
  std::string role = "role";
  std::string content = "content";
  std::string roles;
  std::string id = "instance_id";
  std::string keep;
  std::string turns;
  long long min_history = 1;
  std::string skip_if;
  long long max_chars = 0;
  double rate = 1;
  long long sample = 0;
  long long per_instance = 0;
  bool dedup_prefix = false;
  std::uint64_t seed = 0;
  std::string exclude;
  std::string include;
  std::string join;
  std::string on;
  std::string into;
  bool require_join = false;
  std::string stats;
};

struct Settings {
  turns::Layout layout;
  std::vector<std::string> keep;
  turns::TurnSelection selection;
  std::optional<std::regex> skip_if;
  std::size_t max_chars = 0;  // 0: no limit
  turns::RateThreshold rate{1};
  std::size_t sample = 0;
  std::size_t per_instance = 0;
  std::string on;
  bool sampled() const { return sample > 0 || per_instance > 0; }
};

Settings make_settings(const Options& options) {
  prefline::check_common_options(options.common);
  Settings settings;
  for (const auto& [name, value] : {std::pair{"--messages", &options.messages}, std::pair{"--role", &options.role},
                                    std::pair{"--content", &options.content}, std::pair{"--id", &options.id}})
    if (value->empty()) throw prefline::UsageError(fmt::format("{} needs a field name", name));
  settings.layout.role = options.role;
  settings.layout.content = options.content;
  settings.layout.renamed_roles = turns::parse_roles("--roles", options.roles);
  settings.keep = prefline::parse_name_list("--keep", options.keep, true);
  std::vector<std::string> written = {options.id, "source", "messages", "reference"};
  if (!options.into.empty()) written.push_back(options.into);
  for (const std::string& field : settings.keep)
    for (const std::string& name : written)
      if (field == name)
        throw prefline::UsageError(fmt::format("--keep: '{}' is also a field that turns writes ({}, source, messages, "
                                               "reference{}); leave it out of --keep",
                                               field, options.id, options.into.empty() ? "" : ", " + options.into));
  if (!options.turns.empty()) settings.selection = turns::TurnSelection::parse("--turns", options.turns);
  if (options.min_history < 0) throw prefline::UsageError("--min-history must be 0 or more");
  if (!options.skip_if.empty()) {
    try {
      settings.skip_if.emplace(options.skip_if, std::regex::ECMAScript | std::regex::optimize);
    } catch (const std::regex_error& error) {
      throw prefline::UsageError(fmt::format("--skip-if: '{}' is not a valid regular expression ({})", options.skip_if,
                                             error.what()));
    }
  }
  if (options.max_chars < 0) throw prefline::UsageError("--max-chars must be 0 (no limit) or more");
  settings.max_chars = static_cast<std::size_t>(options.max_chars);
  if (!(options.rate > 0 && options.rate <= 1))
    throw prefline::UsageError(fmt::format("--rate: '{}' is not a share in (0, 1] (e.g. 0.001)", options.rate));
  settings.rate = turns::RateThreshold(options.rate);
  if (options.sample < 0) throw prefline::UsageError("--sample must be 1 or more (0: no sample)");
  if (options.per_instance < 0) throw prefline::UsageError("--per-instance must be 1 or more (0: no limit)");
  settings.sample = static_cast<std::size_t>(options.sample);
  settings.per_instance = static_cast<std::size_t>(options.per_instance);
  if (!options.exclude.empty() && !options.include.empty() && options.exclude == options.include)
    throw prefline::UsageError("--exclude and --include name the same file");
  if (options.join.empty()) {
    for (const auto& [name, value] : {std::pair{"--on", &options.on}, std::pair{"--into", &options.into}})
      if (!value->empty()) throw prefline::UsageError(fmt::format("{} is for --join", name));
    if (options.require_join) throw prefline::UsageError("--require-join is for --join");
  } else if (options.into.empty()) {
    throw prefline::UsageError("--join needs --into FIELD (the turn record's field for the side record)");
  }
  settings.on = options.on.empty() ? options.id : options.on;
  return settings;
}

// An id's text: a string's characters, a number's JSON text; false otherwise.
bool id_text(simdjson::dom::element value, std::string& text) {
  if (value.is_string()) {
    text.assign(value.get_string().value_unsafe());
    return true;
  }
  if (value.is_number()) {
    text = simdjson::minify(value);
    return true;
  }
  return false;
}

std::unordered_set<std::string> read_id_file(const std::string& option, const std::string& path) {
  std::unordered_set<std::string> ids;
  prefline::InputFile input(path);
  prefline::JsonlReader lines(input);
  prefline::JsonlLine line;
  while (lines.next(line)) {
    std::string_view text = line.text;
    while (!text.empty() && (text.back() == '\r' || text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    if (!text.empty()) ids.emplace(text);
  }
  (void)option;
  return ids;
}

// --join's side records by key, each as compact JSON.
std::unordered_map<std::string, std::string> read_side_records(const Options& options, const Settings& settings) {
  std::unordered_map<std::string, std::string> side;
  std::unordered_map<std::string, std::uint64_t> first_line;
  prefline::InputFile input(options.join);
  prefline::JsonlReader lines(input);
  prefline::JsonlLine line;
  simdjson::dom::parser parser;
  std::uint64_t records = 0, keyed = 0;
  while (lines.next(line)) {
    const auto bad = [&](std::string_view why) {
      return prefline::DataError(fmt::format("{}:{}: {} (--join)", options.join, line.number, why));
    };
    simdjson::dom::element record;
    if (auto error = parser.parse(line.text.data(), line.text.size(), false).get(record))
      throw bad(prefline::json_error_reason(error));
    if (!record.is_object()) throw bad("expected a JSON object");
    ++records;
    simdjson::dom::element key;
    if (record[settings.on].get(key)) continue;
    std::string text;
    if (!id_text(key, text)) throw bad(fmt::format("'{}' must be a string or a number (--on {})", settings.on, settings.on));
    ++keyed;
    if (auto [at, fresh] = first_line.emplace(text, line.number); !fresh)
      throw bad(fmt::format("a second side record for '{}' (the first is on line {}); keep one per id", text, at->second));
    prefline::Buffer compact;
    prefline::JsonWriter json(compact);
    turns::write_dom_value(json, record);
    side.emplace(std::move(text), std::string(compact.view()));
  }
  if (records > 0 && keyed == 0)
    throw prefline::DataError(fmt::format("{}: no side record has the key field '{}' (--on {}); name the field that "
                                          "holds the instance id with --on",
                                          options.join, settings.on, settings.on));
  return side;
}

struct Counts {
  std::uint64_t trajectories = 0, excluded = 0, not_included = 0, turns = 0, not_selected = 0, short_history = 0,
                rate = 0, skip_if = 0, duplicate_history = 0, too_long = 0, per_instance = 0, sample = 0,
                written = 0, trimmed = 0, joined = 0, join_missing = 0;
};

// A turn record waiting in a sample, and what --stats counts of it. Empty
// when its rank rules it out of the final sample (--per-instance with --sample).
struct Held {
  std::string record;
  bool trimmed = false;
  int joined = 0;  // 1 joined, -1 missing, 0 no --join
};

void count_written(Counts& counts, const Held& held) {
  ++counts.written;
  counts.trimmed += held.trimmed;
  counts.joined += held.joined > 0;
  counts.join_missing += held.joined < 0;
}

// Whether the reference matches --skip-if: its content, its tool calls' names and arguments.
bool reference_matches(const std::regex& pattern, simdjson::dom::element message, const turns::Layout& layout) {
  const auto search = [&](simdjson::dom::element value) {
    std::string_view text;
    if (value.get_string().get(text)) return false;
    return std::regex_search(text.begin(), text.end(), pattern);
  };
  simdjson::dom::element value;
  if (!message[layout.content].get(value)) {
    if (search(value)) return true;
    simdjson::dom::array parts;
    if (!value.get_array().get(parts))
      for (auto part : parts) {
        simdjson::dom::element text;
        if (!part["text"].get(text) && search(text)) return true;
      }
  }
  simdjson::dom::array calls;
  if (!message["tool_calls"].get_array().get(calls))
    for (auto call : calls) {
      simdjson::dom::element function;
      if (call["function"].get(function)) continue;
      simdjson::dom::element field;
      if (!function["name"].get(field) && search(field)) return true;
      if (!function["arguments"].get(field) && search(field)) return true;
    }
  return false;
}

void write_stats(prefline::Buffer& out, const Counts& c) {
  prefline::JsonWriter json(out);
  json.begin_object();
  const std::pair<std::string_view, std::uint64_t> fields[] = {
      {"trajectories", c.trajectories}, {"excluded", c.excluded}, {"not_included", c.not_included},
      {"turns", c.turns}, {"not_selected", c.not_selected}, {"short_history", c.short_history},
      {"rate", c.rate}, {"skip_if", c.skip_if}, {"duplicate_history", c.duplicate_history},
      {"too_long", c.too_long}, {"per_instance", c.per_instance}, {"sample", c.sample},
      {"written", c.written}, {"trimmed", c.trimmed}, {"joined", c.joined}, {"join_missing", c.join_missing}};
  for (const auto& [name, value] : fields) json.key(name).integer(static_cast<std::int64_t>(value));
  json.end_object();
  json.end_record();
}

void run(const Options& options) {
  const Settings settings = make_settings(options);
  prefline::OutputSet outputs;  // -o, --stats, --rejects: all or none
  prefline::Output& out = outputs.add(options.common.output);
  prefline::BadRecords bad(options.common, outputs);
  prefline::Progress progress(std::string(tool), options.common.quiet);

  std::optional<std::unordered_set<std::string>> excluded, included;
  if (!options.exclude.empty()) excluded = read_id_file("--exclude", options.exclude);
  if (!options.include.empty()) included = read_id_file("--include", options.include);
  std::unordered_map<std::string, std::string> side;
  if (!options.join.empty()) side = read_side_records(options, settings);

  prefline::FieldCensus census;
  const std::size_t id_watch = census.watch(options.id, fmt::format("id field '{}' (--id)", options.id));
  const std::size_t messages_watch =
      census.watch(options.messages, fmt::format("messages field '{}' (--messages)", options.messages));
  // Messages are censused apart: a wrong --content would otherwise give null contents silently.
  prefline::FieldCensus message_census;
  const std::size_t content_watch = message_census.watch(
      options.content, fmt::format("content field '{}' (--content)", options.content));

  // A record without a field no record has had yet may mean a misspelt option: its error waits
  // for the end of the input, where the census names what the records have.
  struct Deferred {
    std::string file;
    std::uint64_t line = 0;
    std::string reason, text;
  };
  std::optional<Deferred> deferred;

  Counts counts;
  turns::BottomSample<Held> sample(settings.sample > 0 ? settings.sample : SIZE_MAX, options.dedup_prefix);
  std::unordered_map<std::string, turns::BottomSample<Held>> per_instance;
  std::unordered_set<std::string> seen_histories;  // --dedup-prefix without sampling: XXH128 of id + history

  simdjson::dom::parser parser;
  prefline::Buffer history;  // "[m0,m1,..." as written: a history is a prefix of it
  std::vector<std::size_t> starts;  // where each message starts in `history`
  std::vector<turns::MessageInfo> infos;
  std::vector<simdjson::dom::element> elements;
  std::vector<turns::HistoryMessage> sizes;
  std::string id;
  prefline::Buffer record;
  std::uint64_t eligible = 0;  // turns that reached the sampling of --per-instance / --sample
  // --per-instance K with --sample N: the ranks of every instance's bottom K, whose N-th lowest
  // bounds the ranks that can still be chosen; records above it are dropped (swept now and then),
  // so memory holds about the sample, not K records of every instance.
  turns::RankBound rank_bound(settings.sample);
  std::uint64_t since_sweep = 0;
  const auto add_to_instance = [&](turns::BottomSample<Held>& bottom, std::uint64_t rank, std::uint64_t tie, Held held) {
    const std::size_t before = bottom.entries().size();
    std::optional<std::uint64_t> left;
    if (!bottom.add(rank, tie, std::move(held), &left) || settings.sample == 0) return;
    if (left) rank_bound.erase(*left);
    if (left || bottom.entries().size() > before) rank_bound.insert(rank);
    if (++since_sweep < 2 * settings.sample + sweep_slack) return;
    since_sweep = 0;
    const std::uint64_t bound = rank_bound.bound();
    for (auto& [instance, kept] : per_instance)
      for (const auto& entry : kept.entries())
        if (entry.rank > bound && !entry.payload.record.empty()) std::string().swap(entry.payload.record);
  };

  for (const auto& name : prefline::inputs_or_stdin(options.common.files)) {
    prefline::InputFile input(name);
    prefline::JsonlReader lines(input);
    prefline::JsonlLine line;
    while (lines.next(line)) {
      progress.tick();
      std::string reason;
      bool missing_unseen = false;
      const auto fail = [&](std::string why) {
        if (missing_unseen && !options.common.skip_invalid) {
          if (!deferred) deferred = Deferred{name, line.number, std::move(why), std::string(line.text)};
          return;
        }
        if (deferred) bad.handle(deferred->file, deferred->line, deferred->reason, deferred->text);
        bad.handle(name, line.number, why, line.text);
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
      if (!id_text(id_value, id)) {
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

      // Every message mapped once; a history is then a prefix of `history`.
      history.clear();
      history.push_back('[');
      starts.clear();
      infos.clear();
      elements.clear();
      std::size_t index = 0;
      for (simdjson::dom::element message : messages) {
        if (index > 0) history.push_back(',');
        starts.push_back(history.size());
        prefline::JsonWriter json(history);
        turns::MessageInfo info;
        reason = turns::map_message(settings.layout, options.messages, index, message, json, info);
        if (!reason.empty()) break;
        message_census.record();
        if (info.has_content) message_census.found(content_watch);
        if (message_census.wants_sample()) message_census.sample(simdjson::minify(message));
        infos.push_back(info);
        elements.push_back(message);
        ++index;
      }
      if (!reason.empty()) {
        fail(reason);
        continue;
      }
      starts.push_back(history.size() + 1);  // where a message after the last would start
      std::string_view line_bytes = line.text;  // without its line end: CRLF and LF files rank alike
      if (!line_bytes.empty() && line_bytes.back() == '\r') line_bytes.remove_suffix(1);
      const std::uint64_t line_hash = options.dedup_prefix ? 0 : prefline::stable_hash(line_bytes, 0);

      std::int64_t assistant_turns = 0;
      for (const auto& info : infos) assistant_turns += info.role == Role::assistant;
      counts.turns += static_cast<std::uint64_t>(assistant_turns);
      std::int64_t turn = 0;
      for (std::size_t at = 0; at < infos.size(); ++at) {
        if (infos[at].role != Role::assistant) continue;
        ++turn;
        if (!settings.selection.selects(turn, assistant_turns)) {
          ++counts.not_selected;
          continue;
        }
        if (at < static_cast<std::size_t>(options.min_history)) {
          ++counts.short_history;
          continue;
        }
        // The history's bytes: messages 0 .. at-1 as written, without the '[' and the last ','.
        const std::string_view prefix =
            at == 0 ? std::string_view() : history.view().substr(1, starts[at] - 2);
        const std::uint64_t whole_hash = options.dedup_prefix ? prefline::stable_hash(prefix, 0) : line_hash;
        const std::uint64_t rank = turns::turn_rank(id, whole_hash, static_cast<std::uint64_t>(turn), options.seed);
        if (!settings.rate.keeps(rank)) {
          ++counts.rate;
          continue;
        }
        if (settings.skip_if && reference_matches(*settings.skip_if, elements[at], settings.layout)) {
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
        turns::Trimmed kept;
        if (settings.max_chars > 0) {
          sizes.clear();
          for (std::size_t m = 0; m < at; ++m)
            sizes.push_back(turns::HistoryMessage{
                infos[m].role, infos[m].has_tool_calls,
                turns::code_points(history.view().substr(starts[m], starts[m + 1] - 1 - starts[m]))});
          kept = turns::trim_history(sizes, settings.max_chars);
          if (!kept.fits) {
            ++counts.too_long;
            continue;
          }
        }
        turns::BottomSample<Held>* bottom = &sample;
        bool build = true;
        if (settings.sampled()) {
          ++eligible;
          if (settings.per_instance > 0)
            bottom = &per_instance.try_emplace(id, settings.per_instance, options.dedup_prefix).first->second;
          if (!bottom->may_take(rank)) continue;
          // In an instance's bottom K, but above the N-th lowest of all such ranks: never chosen.
          build = settings.per_instance == 0 || settings.sample == 0 || rank <= rank_bound.bound();
        }
        if (!build) {
          add_to_instance(*bottom, rank, 0, Held{});
          continue;
        }

        // The record: head (kept fields, id), source, tail (messages, reference, join).
        record.clear();
        prefline::JsonWriter json(record);
        json.begin_object();
        for (const std::string& field : settings.keep) {
          simdjson::dom::element value;
          if (object[field].get(value)) continue;
          json.key(field);
          turns::write_dom_value(json, value);
        }
        json.key(options.id);
        turns::write_dom_value(json, id_value);
        const std::size_t source_begin = record.size();
        json.key("source").begin_object();
        json.key("file").string(name);
        json.key("line").integer(static_cast<std::int64_t>(line.number));
        json.key("turn").integer(turn);
        json.end_object();
        const std::size_t source_end = record.size();
        json.key("messages").begin_array();
        if (settings.max_chars > 0) {
          for (std::size_t m : kept.kept)
            json.raw(history.view().substr(starts[m], starts[m + 1] - 1 - starts[m]));
        } else if (at > 0) {
          record.append(prefix);
        }
        json.end_array();
        json.key("reference").raw(history.view().substr(starts[at], starts[at + 1] - 1 - starts[at]));
        Held held;
        held.trimmed = kept.trimmed;
        if (!options.join.empty()) {
          json.key(options.into);
          if (side_record != nullptr) json.raw(*side_record);
          else json.null();
          held.joined = side_record != nullptr ? 1 : -1;
        }
        json.end_object();
        json.end_record();

        if (!settings.sampled()) {
          out.buffer().append(record.view());
          count_written(counts, held);
          out.maybe_flush();
          continue;
        }
        // Equal ranks are equal keys: ordered by the record without its source (which names the
        // file and line, and so differs between one file and shards).
        const std::string_view bytes = record.view();
        const std::uint64_t tie =
            prefline::stable_hash(bytes.substr(0, source_begin), prefline::stable_hash(bytes.substr(source_end), 0));
        held.record.assign(bytes);
        if (settings.per_instance > 0) add_to_instance(*bottom, rank, tie, std::move(held));
        else sample.add(rank, tie, std::move(held));
      }
    }
  }
  progress.finish();
  census.check();
  message_census.check();
  if (deferred) bad.handle(deferred->file, deferred->line, deferred->reason, deferred->text);

  if (settings.sampled()) {
    std::uint64_t held = eligible;
    if (settings.per_instance > 0) {
      held = 0;
      for (auto& [instance, bottom] : per_instance) {
        held += bottom.entries().size();
        while (!bottom.entries().empty()) {
          auto node = bottom.entries().extract(bottom.entries().begin());
          sample.add(node.value().rank, node.value().tie, std::move(node.value().payload));
        }
      }
      counts.per_instance = eligible - held;
    }
    counts.sample = held - sample.entries().size();
    for (const auto& entry : sample.entries()) {
      out.buffer().append(entry.payload.record);
      count_written(counts, entry.payload);
      out.maybe_flush();
    }
  }
  if (!options.stats.empty()) write_stats(outputs.add(options.stats).buffer(), counts);
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
      },
      [&] { run(options); });
}
