// label: people grade answers (--rate) or pick the better of two (--compare)
// in a browser page served by this tool; every keystroke is journaled and
// synced before the page hears it is saved, so nothing is ever lost.
#include <sys/random.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <httplib.h>
#include <simdjson.h>

#include "prefline/cli/help.hpp"
#include "prefline/cli/tool.hpp"
#include "prefline/io/input.hpp"
#include "prefline/io/jsonl_reader.hpp"
#include "prefline/json/writer.hpp"
#include "prefline/label/agreement_so_far.hpp"
#include "prefline/label/blind_order.hpp"
#include "prefline/label/grade_sheet.hpp"
#include "prefline/label/grader_name.hpp"
#include "prefline/label/item_list.hpp"
#include "prefline/label/journal.hpp"
#include "prefline/label/key_map.hpp"
#include "prefline/label/page.hpp"
#include "prefline/label/scales.hpp"
#include "prefline/label/vote_record.hpp"
#include "prefline/text/split.hpp"
#include "prefline/text/timestamp.hpp"

namespace {

namespace label = prefline::label;

constexpr std::string_view tool = "label";

constexpr std::string_view help_head = R"HELP(Usage: label --rate ITEMS.jsonl --grader NAME [OPTIONS]
       label --compare PAIRS.jsonl --grader NAME [OPTIONS]

Grade answers by hand in a browser page this tool serves (no CDN, no build
step, keyboard only). Every change is sent at once, appended to the grader's
journal and synced to disk before the page shows it saved: a reload, a
restart or a kill -9 loses nothing. Blind by default: model names hidden,
items in an order of the grader's own (seeded by the grader's name) and, in
--compare, sides swapped at random per item with the mapping recorded.

Modes (one of):
      --rate FILE         rate each answer on --scale scales; writes
                          OUT/<grader>.csv in the vizhub grader's layout
                          (challenge,model,type,passFail,grade,aesthetics,
                          reviewedBy,reviewedAt,notes), rewritten atomically
                          after each change; an auto-fail (key 0) is 0 on
                          both scales and passFail 'fail'; reviewedAt is
                          the time of that row's last change
      --compare FILE      pick the better of two answers per --criteria;
                          writes OUT/<grader>.votes.jsonl, vote records for
                          votes: {<--item fields>, "model_a", "model_b",
                          "winner" (a, b or tie), "rater", "criterion",
                          "shown" (the side shown on the left), "votedAt"}

Items:
      --item FIELDS       key fields of an item, comma-separated (default
                          challenge,model with --rate, which needs exactly
                          two: the sheet's challenge and model; id with
                          --compare)
      --prompt-field F    the item's prompt (default prompt)
      --prompts FILE      JSON Lines {<first --item field>, "prompt"}: the
                          prompt of items that have none of their own
  An answer is the item's 'response' string or its 'files' object (file
  name -> content, the vizhub layout); a files answer with index.html is
  shown running in a sandboxed frame from a second port, beside its source.
      --a FIELD           --compare: the first answer (default chosen)
      --b FIELD           --compare: the second answer (default rejected)
      --a-id PATH         --compare: the first side's id, a dotted path
                          (default: the --a field's name)
      --b-id PATH         --compare: the second side's id (default: the
                          --b field's name)

Grading:
      --grader NAME       whose grades these are: letters, digits, '.', '_',
                          '-' (a file stem). Without it, each page names
                          its grader with ?grader=NAME (a shared server)
      --out DIR           the folder of the graders' files (default grades);
                          OUT/<grader>.journal.jsonl is the journal
      --scale NAME=LO:HI  a rating scale, repeatable, at most two, 0 <= LO <
                          HI <= 5 (default technical=0:5 and aesthetics=0:5)
      --criteria LIST     --compare: the criteria, comma-separated (default
                          accuracy,safety,clarity,completeness,
                          actionability); an 'overall' vote always follows
      --show-models       show the item's key fields (model names) too
      --keys FILE         remap the page's keys: a JSON object of action ->
                          key code or list of codes (KeyboardEvent.code:
                          KeyD, ArrowRight, Space, Digit1...), e.g.
                          {"next":["KeyJ","Space"],"back":"KeyK"}. --rate
                          actions: back, next, clear, notes, disputed;
                          --compare: left, equal, right, up, down, back,
                          next. A key bound twice, or kept by the browser
                          or the page (Tab, Escape, Slash, F1-F12, the
                          modifiers; with --rate the digits), is an error
      --max-sd X          --rate: once two graders have journals in OUT, an
                          item whose grades on a scale have a sample sd
                          above X is disputed, to look at again (default
                          1.5, as consensus); the page shows the disputed
                          count and Krippendorff's alpha per scale

Server:
      --bind ADDR         address to listen on (default 127.0.0.1); any
                          other address needs a token
      --token TOKEN       every request must carry it (?token= or the
                          X-Label-Token header), else 403; 8 to 128
                          characters of A-Z a-z 0-9 _ -. Generated and
                          printed in the URL when --bind is not 127.0.0.1
      --port N            the page's port (default 8765; 0: any free port)
      --files-port N      the port answers' files are served from, another
                          origin (default 0: any free port)
      --max-body BYTES    largest request body (default 65536); a larger
                          one gets 413
      --page-size N       items the page may fetch at once, 1 to 1000
                          (default 100)
  -q, --quiet             print nothing but the URL line
  -h, --help              show this help and exit
      --version           show the version and exit

Default keys (the page's '?' shows them; --keys remaps all but the digits of
--rate and '?'): --rate: 1-5 first scale, Shift+1-5 second
scale (by key position, any keyboard layout), 0 auto-fail, Backspace clears
the first scale's score, left arrow or a back, right arrow, d or space next
(a grade never moves on by itself), n notes (Escape leaves them), r the next
disputed item. --compare:
1 left better, 2 equal, 3 right better for the selected criterion (then the
next one is selected), up/down arrows or w/s select, left/right/a/d/space
move between items.

Output on standard output: one line 'label: http://ADDR:PORT/?token=...&grader=NAME'
once both servers listen. Runs until interrupted.

Exit status:
  0  success
  1  bad input (message 'label: FILE:LINE: reason'), a bad journal line, or
     a port that cannot be bound
  2  bad option or option value (nothing is read)

Example:
  label --rate answers.jsonl --prompts challenges.jsonl --grader ej-fox --out grades/
)HELP";

const std::vector<std::string> default_criteria = {"accuracy", "safety", "clarity", "completeness", "actionability"};

struct Options {
  std::string rate;
  std::string compare;
  std::string item;
  std::string prompt_field = "prompt";
  std::string prompts;
  std::string a = "chosen";
  std::string b = "rejected";
  std::string a_id;
  std::string b_id;
  std::string grader;
  std::string out = "grades";
  std::vector<std::string> scales;
  std::string criteria = "accuracy,safety,clarity,completeness,actionability";
  bool show_models = false;
  std::string keys;
  double max_sd = 1.5;
  std::string bind = "127.0.0.1";
  std::string token;
  int port = 8765;
  int files_port = 0;
  long long max_body = 65536;
  long long page_size = 100;
  bool quiet = false;
};

struct Settings {
  bool compare = false;
  std::string items_file;
  label::ItemSettings items;
  std::string prompts_file;
  std::string grader;  // empty: ?grader= per request
  std::string out;
  std::vector<label::Scale> scales;
  std::vector<std::string> criteria;  // then "overall"
  bool show_models = false;
  label::KeyMap keys;
  double max_sd = 1.5;
  std::string bind;
  std::string token;  // empty: none needed (loopback without --token)
  int port = 0;
  int files_port = 0;
  std::size_t max_body = 0;
  std::size_t page_size = 0;
};

bool is_loopback(std::string_view address) { return address == "127.0.0.1" || address == "::1" || address == "localhost"; }

std::string generated_token() {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  unsigned char bytes[24];
  if (::getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes))
    throw prefline::DataError("cannot generate a token: getrandom failed");
  std::string token;
  for (unsigned char byte : bytes) token.push_back(alphabet[byte % 62]);
  return token;
}

// Every option checked before any file is read or any port bound.
Settings make_settings(const Options& options) {
  Settings settings;
  if (options.rate.empty() == options.compare.empty())
    throw prefline::UsageError("give one of --rate FILE and --compare FILE");
  settings.compare = !options.compare.empty();
  settings.items_file = settings.compare ? options.compare : options.rate;
  settings.items.compare = settings.compare;
  const std::string item = !options.item.empty() ? options.item : settings.compare ? "id" : "challenge,model";
  settings.items.item_fields = prefline::parse_name_list("--item", item, false);
  if (!settings.compare && settings.items.item_fields.size() != 2)
    throw prefline::UsageError(fmt::format(
        "--item '{}': --rate writes the vizhub sheet, keyed by two fields (its challenge and model)", item));
  if (options.prompt_field.empty()) throw prefline::UsageError("--prompt-field needs a field name");
  settings.items.prompt_field = options.prompt_field;
  settings.prompts_file = options.prompts;
  if (!settings.compare) {
    if (options.a != "chosen") throw prefline::UsageError("--a is for --compare");
    if (options.b != "rejected") throw prefline::UsageError("--b is for --compare");
    if (!options.a_id.empty() || !options.b_id.empty()) throw prefline::UsageError("--a-id and --b-id are for --compare");
  }
  if (options.a.empty() || options.b.empty()) throw prefline::UsageError("--a and --b need field names");
  if (options.a == options.b) throw prefline::UsageError(fmt::format("--a and --b name the same field '{}'", options.a));
  settings.items.a_field = options.a;
  settings.items.b_field = options.b;
  settings.items.a_id_field = options.a_id;
  settings.items.b_id_field = options.b_id;
  if (!options.grader.empty())
    if (auto problem = label::grader_name_problem(options.grader)) throw prefline::UsageError("--grader: " + *problem);
  settings.grader = options.grader;
  if (options.out.empty()) throw prefline::UsageError("--out needs a folder name");
  settings.out = options.out;
  if (settings.compare && !options.scales.empty()) throw prefline::UsageError("--scale is for --rate");
  for (const auto& text : options.scales) settings.scales.push_back(label::parse_scale(text));
  if (settings.scales.empty() && !settings.compare)
    settings.scales = {label::parse_scale("technical=0:5"), label::parse_scale("aesthetics=0:5")};
  if (settings.scales.size() > label::sheet_scales)
    throw prefline::UsageError(fmt::format("--scale: at most {} scales (the sheet's grade and aesthetics columns)",
                                           label::sheet_scales));
  if (settings.scales.size() == 2 && settings.scales[0].name == settings.scales[1].name)
    throw prefline::UsageError(fmt::format("--scale: '{}' twice", settings.scales[0].name));
  if (settings.compare) {
    settings.criteria = prefline::parse_name_list("--criteria", options.criteria, false);
    for (const auto& criterion : settings.criteria)
      if (criterion == label::overall_criterion)
        throw prefline::UsageError("--criteria: 'overall' is always asked last; leave it out of the list");
    settings.criteria.emplace_back(label::overall_criterion);
  } else if (options.criteria != "accuracy,safety,clarity,completeness,actionability") {
    throw prefline::UsageError("--criteria is for --compare");
  }
  settings.show_models = options.show_models;
  if (options.keys.empty()) {
    settings.keys = label::default_keys(settings.compare);
  } else {
    std::ifstream file(options.keys, std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    if (!file) throw prefline::UsageError(fmt::format("--keys: cannot read '{}'", options.keys));
    settings.keys = label::read_key_map(text.str(), settings.compare, options.keys);
  }
  if (!(options.max_sd >= 0) || !std::isfinite(options.max_sd))
    throw prefline::UsageError(fmt::format("--max-sd: '{}' is not a number from 0 up", options.max_sd));
  settings.max_sd = options.max_sd;
  settings.bind = options.bind;
  if (!options.token.empty()) {
    const bool safe = options.token.size() >= 8 && options.token.size() <= 128 &&
                      std::all_of(options.token.begin(), options.token.end(), [](char c) {
                        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                               c == '-';
                      });
    if (!safe) throw prefline::UsageError("--token: 8 to 128 characters of A-Z a-z 0-9 _ -");
    settings.token = options.token;
  }
  if (options.port < 0 || options.port > 65535)
    throw prefline::UsageError(fmt::format("--port: '{}' is not a port (0 to 65535)", options.port));
  if (options.files_port < 0 || options.files_port > 65535)
    throw prefline::UsageError(fmt::format("--files-port: '{}' is not a port (0 to 65535)", options.files_port));
  if (options.port != 0 && options.port == options.files_port)
    throw prefline::UsageError("--port and --files-port must differ (the answers' files are another origin)");
  settings.port = options.port;
  settings.files_port = options.files_port;
  if (options.max_body < 1024 || options.max_body > (1LL << 24))
    throw prefline::UsageError(fmt::format("--max-body: '{}' is not from 1024 to 16777216", options.max_body));
  settings.max_body = static_cast<std::size_t>(options.max_body);
  if (options.page_size < 1 || options.page_size > 1000)
    throw prefline::UsageError(fmt::format("--page-size: '{}' is not from 1 to 1000", options.page_size));
  settings.page_size = static_cast<std::size_t>(options.page_size);
  if (settings.token.empty() && !is_loopback(settings.bind)) settings.token = generated_token();
  return settings;
}

label::ItemList read_items(const Settings& settings) {
  label::ItemList items(settings.items);
  const auto read_file = [](const std::string& name, auto&& each) {
    prefline::InputFile input(name);
    prefline::JsonlReader reader(input);
    prefline::JsonlLine line;
    while (reader.next(line)) each(line.text, fmt::format("{}:{}", name, line.number));
  };
  read_file(settings.items_file, [&](std::string_view text, const std::string& where) { items.add(text, where); });
  if (!settings.prompts_file.empty()) {
    read_file(settings.prompts_file,
              [&](std::string_view text, const std::string& where) { items.add_prompt(text, where); });
    items.join_prompts();
  }
  if (items.size() == 0) throw prefline::DataError(fmt::format("{}: no items", settings.items_file));
  return items;
}

// The item's answer as JSON text for the page (field, then value).
bool is_html_answer(const label::Item& item) {
  return std::any_of(item.files.begin(), item.files.end(), [](const auto& file) { return file.first == "index.html"; });
}

// One grader's state: the order, the sheet or the votes, the journal.
struct Grader {
  std::string name;
  label::GraderFiles files;
  std::vector<std::size_t> order;
  std::unique_ptr<label::GradeSheet> sheet;
  // --compare: the latest vote per (item, criterion), as a vote line.
  std::map<std::pair<std::size_t, std::size_t>, std::string> votes;
  std::vector<std::pair<std::size_t, std::size_t>> vote_order;  // first-vote order
  std::map<std::pair<std::size_t, std::size_t>, std::string> vote_choices;  // as shown: left/right/equal
  label::Journal journal;
};

class Labeler {
 public:
  Labeler(const Settings& settings, label::ItemList items) : settings_(settings), items_(std::move(items)) {}

  // The grader named by a request (or --grader), opened on first use:
  // the journal replayed, then the grader's files rewritten from it.
  Grader& grader(const std::string& name) {
    const auto found = graders_.find(name);
    if (found != graders_.end()) return *found->second;
    auto grader = std::make_unique<Grader>();
    grader->name = name;
    grader->files = label::grader_files(settings_.out, name);
    grader->order = label::grader_order(items_.size(), name);
    if (!settings_.compare) grader->sheet = std::make_unique<label::GradeSheet>(name);
    Grader& opened = *grader;
    const auto replay = opened.journal.open(opened.files.journal, [&](std::string_view line, std::size_t number) {
      const std::string where = fmt::format("{}:{}", opened.files.journal, number);
      if (settings_.compare)
        replay_vote(opened, line, where);
      else
        opened.sheet->replay_line(line, where);
    });
    if (replay.torn_lines != 0)
      fmt::print(stderr, "label: {}: ignored a torn last line (a write cut short by a crash)\n", opened.files.journal);
    write_outputs(opened);
    graders_.emplace(name, std::move(grader));
    return opened;
  }

  const Settings& settings() const { return settings_; }
  const label::ItemList& items() const { return items_; }
  std::mutex& mutex() { return mutex_; }

  std::string state_json(Grader& grader) {
    prefline::Buffer out;
    prefline::JsonWriter json(out);
    json.begin_object();
    json.key("grader").string(grader.name);
    json.key("mode").string(settings_.compare ? "compare" : "rate");
    json.key("total").integer(static_cast<std::int64_t>(items_.size()));
    json.key("showModels").boolean(settings_.show_models);
    json.key("keys");
    label::write_key_map(json, settings_.keys);
    if (settings_.compare) {
      json.key("criteria").begin_array();
      for (const auto& criterion : settings_.criteria) json.string(criterion);
      json.end_array();
      json.key("voted").integer(static_cast<std::int64_t>(grader.votes.size()));
    } else {
      json.key("scales").begin_array();
      for (std::size_t s = 0; s < settings_.scales.size(); ++s) {
        std::int64_t graded = 0;
        for (const auto& row : grader.sheet->rows()) graded += row.scores[s] ? 1 : 0;
        json.begin_object();
        json.key("name").string(settings_.scales[s].name);
        json.key("low").integer(settings_.scales[s].low);
        json.key("high").integer(settings_.scales[s].high);
        json.key("graded").integer(graded);
        json.end_object();
      }
      json.end_array();
      json.key("graded").integer(static_cast<std::int64_t>(grader.sheet->rows().size()));
    }
    json.end_object();
    return std::string(out.view());
  }

  // Items [offset, offset+limit) in the grader's order, with the grader's
  // current grades or votes.
  std::string items_json(Grader& grader, std::size_t offset, std::size_t limit) {
    prefline::Buffer out;
    prefline::JsonWriter json(out);
    json.begin_object();
    json.key("offset").integer(static_cast<std::int64_t>(offset));
    json.key("total").integer(static_cast<std::int64_t>(items_.size()));
    json.key("items").begin_array();
    for (std::size_t position = offset; position < std::min(items_.size(), offset + limit); ++position) {
      const std::size_t index = grader.order[position];
      const label::Item& item = items_.items()[index];
      json.begin_object();
      json.key("position").integer(static_cast<std::int64_t>(position));
      json.key("item").integer(static_cast<std::int64_t>(index));
      // Blind: only the first key field (the challenge) unless --show-models.
      json.key("title").string(settings_.show_models ? prefline::label::ItemList::describe_key(item)
                                                     : item.key_text.front());
      json.key("prompt").string(item.prompt);
      if (settings_.compare) {
        const bool b_first = label::b_shown_first(grader.name, item.key);
        json.key("left").string(b_first ? item.response_b : item.response);
        json.key("right").string(b_first ? item.response : item.response_b);
        json.key("choices").begin_object();
        for (std::size_t c = 0; c < settings_.criteria.size(); ++c) {
          const auto found = grader.vote_choices.find({index, c});
          if (found != grader.vote_choices.end()) json.key(settings_.criteria[c]).string(found->second);
        }
        json.end_object();
      } else {
        if (item.files.empty()) {
          json.key("response").string(item.response);
        } else {
          json.key("files").begin_array();
          for (const auto& [name, content] : item.files) {
            json.begin_object();
            json.key("name").string(name);
            json.key("content").string(content);
            json.end_object();
          }
          json.end_array();
          json.key("html").boolean(is_html_answer(item));
        }
        const label::GradeRow* row = grader.sheet->find(item.key_text[0], item.key_text[1]);
        json.key("grade");
        if (row == nullptr) {
          json.null();
        } else {
          json.begin_object();
          json.key("scores").begin_array();
          for (std::size_t s = 0; s < settings_.scales.size(); ++s)
            row->scores[s] ? json.integer(*row->scores[s]) : json.null();
          json.end_array();
          json.key("autoFail").boolean(row->auto_fail);
          json.key("notes").string(row->notes);
          json.end_object();
        }
      }
      json.end_object();
    }
    json.end_array();
    json.end_object();
    return std::string(out.view());
  }

  // A grade change: journaled and synced, then the sheet rewritten.
  // Returns an error message for the page, or empty.
  std::string grade(Grader& grader, simdjson::dom::object request) {
    std::int64_t index = -1;
    if (request["item"].get_int64().get(index) != simdjson::SUCCESS || index < 0 ||
        static_cast<std::size_t>(index) >= items_.size())
      return "'item' must be an item number";
    const label::Item& item = items_.items()[static_cast<std::size_t>(index)];
    label::GradeChange change;
    change.challenge = item.key_text[0];
    change.model = item.key_text[1];
    change.type = item.type;
    change.at_ms = prefline::record_time_milliseconds();
    std::int64_t scale = 0;
    if (request["scale"].get_int64().get(scale) == simdjson::SUCCESS) {
      if (scale < 0 || static_cast<std::size_t>(scale) >= settings_.scales.size()) return "'scale' is not a scale";
      change.scale = static_cast<std::size_t>(scale);
      const auto score = request["score"];
      std::int64_t value = 0;
      if (score.is_null()) {
        change.clear_score = true;
      } else if (score.get_int64().get(value) == simdjson::SUCCESS &&
                 settings_.scales[change.scale.value()].contains(static_cast<int>(value))) {
        change.score = static_cast<int>(value);
      } else {
        return "'score' is outside the scale";
      }
    }
    bool auto_fail = false;
    if (request["autoFail"].get_bool().get(auto_fail) == simdjson::SUCCESS) change.auto_fail = auto_fail;
    std::string_view notes;
    if (request["notes"].get_string().get(notes) == simdjson::SUCCESS) {
      if (notes.size() > max_notes) return fmt::format("'notes' is longer than {} bytes", max_notes);
      change.notes = std::string(notes);
    }
    if (!change.scale && !change.auto_fail && !change.notes) return "nothing to change: give scale, autoFail or notes";
    const label::GradeRow& row = grader.sheet->apply(change);
    grader.journal.append(label::GradeSheet::journal_line(row));
    write_outputs(grader);
    return {};
  }

  std::string vote(Grader& grader, simdjson::dom::object request) {
    std::int64_t index = -1;
    if (request["item"].get_int64().get(index) != simdjson::SUCCESS || index < 0 ||
        static_cast<std::size_t>(index) >= items_.size())
      return "'item' must be an item number";
    std::string_view criterion, choice;
    if (request["criterion"].get_string().get(criterion) != simdjson::SUCCESS) return "'criterion' must be a string";
    const auto found = std::find(settings_.criteria.begin(), settings_.criteria.end(), criterion);
    if (found == settings_.criteria.end()) return "'criterion' is not one of the criteria";
    if (request["choice"].get_string().get(choice) != simdjson::SUCCESS ||
        (choice != "left" && choice != "right" && choice != "equal"))
      return "'choice' must be left, right or equal";
    const label::Item& item = items_.items()[static_cast<std::size_t>(index)];
    label::VoteRecord vote;
    for (std::size_t k = 0; k < item.key_json.size(); ++k)
      vote.key.emplace_back(settings_.items.item_fields[k], item.key_json[k]);
    vote.model_a = item.id_a;
    vote.model_b = item.id_b;
    vote.b_shown_first = label::b_shown_first(grader.name, item.key);
    vote.winner = label::winner_from_shown(choice, vote.b_shown_first);
    vote.rater = grader.name;
    vote.criterion = std::string(criterion);
    vote.voted_at_ms = prefline::record_time_milliseconds();
    prefline::Buffer line;
    label::write_vote(line, vote);
    std::string_view text = line.view();
    text.remove_suffix(1);  // the journal adds its own '\n'
    grader.journal.append(text);
    remember_vote(grader, static_cast<std::size_t>(index),
                  static_cast<std::size_t>(found - settings_.criteria.begin()), std::string(text),
                  std::string(choice));
    write_outputs(grader);
    return {};
  }

  // Agreement over every grader with a journal in --out: the graders open
  // here from memory, the others (other servers sharing the folder) read
  // without touching their files. Disputed items as positions in the
  // asking grader's order.
  std::string agreement_json(Grader& asking) {
    std::vector<std::unique_ptr<label::GradeSheet>> others;
    std::vector<const label::GradeSheet*> sheets;
    std::vector<std::string> names;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(settings_.out, error)) {
      const std::string file = entry.path().filename().string();
      constexpr std::string_view suffix = ".journal.jsonl";
      if (!file.ends_with(suffix)) continue;
      const std::string name = file.substr(0, file.size() - suffix.size());
      if (!label::grader_name_problem(name)) names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    for (const auto& name : names) {
      const auto open = graders_.find(name);
      if (open != graders_.end()) {
        sheets.push_back(open->second->sheet.get());
        continue;
      }
      auto sheet = std::make_unique<label::GradeSheet>(name);
      try {
        label::read_journal(label::grader_files(settings_.out, name).journal,
                            [&](std::string_view line, std::size_t number) {
                              sheet->replay_line(line, fmt::format("{}:{}", name, number));
                            });
      } catch (const prefline::DataError&) {
        continue;  // a journal being written or not ours: left out of the figures
      }
      sheets.push_back(sheet.get());
      others.push_back(std::move(sheet));
    }
    prefline::Buffer out;
    prefline::JsonWriter json(out);
    json.begin_object();
    json.key("graders").integer(static_cast<std::int64_t>(sheets.size()));
    if (sheets.size() >= 2) {
      const auto result = label::agreement_so_far(sheets, settings_.scales.size(), settings_.max_sd);
      json.key("alpha").begin_array();
      for (const auto& alpha : result.alpha) std::isnan(alpha.alpha) ? json.null() : json.number(alpha.alpha);
      json.end_array();
      std::vector<std::size_t> position_of(items_.size());
      for (std::size_t position = 0; position < asking.order.size(); ++position) position_of[asking.order[position]] = position;
      std::vector<std::size_t> disputed;
      for (const auto& [challenge, model] : result.disputed) {
        const std::size_t index = items_.find(challenge + '\x1f' + model);
        if (index != label::ItemList::npos) disputed.push_back(position_of[index]);
      }
      std::sort(disputed.begin(), disputed.end());
      json.key("disputed").begin_array();
      for (const std::size_t position : disputed) json.integer(static_cast<std::int64_t>(position));
      json.end_array();
    }
    json.end_object();
    return std::string(out.view());
  }

  // The answer file `name` of item `index`, from memory (never a path).
  const std::string* answer_file(std::size_t index, std::string_view name) const {
    if (index >= items_.size()) return nullptr;
    for (const auto& [file, content] : items_.items()[index].files)
      if (file == name) return &content;
    return nullptr;
  }

 private:
  static constexpr std::size_t max_notes = 8192;

  void remember_vote(Grader& grader, std::size_t index, std::size_t criterion, std::string line, std::string choice) {
    const auto key = std::make_pair(index, criterion);
    if (!grader.votes.contains(key)) grader.vote_order.push_back(key);
    grader.votes[key] = std::move(line);
    grader.vote_choices[key] = std::move(choice);
  }

  // A journal line of --compare: a vote record this tool wrote.
  void replay_vote(Grader& grader, std::string_view line, const std::string& where) {
    simdjson::padded_string padded(line);
    simdjson::dom::object record;
    if (parser_.parse(padded).get(record) != simdjson::SUCCESS)
      throw prefline::DataError(fmt::format("{}: not a vote record", where));
    std::string key;
    for (const auto& field : settings_.items.item_fields) {
      simdjson::dom::element value;
      if (record[field].get(value) != simdjson::SUCCESS) throw prefline::DataError(fmt::format("{}: no '{}'", where, field));
      std::string_view text;
      if (!key.empty() || field != settings_.items.item_fields.front()) key.push_back('\x1f');
      key += value.get_string().get(text) == simdjson::SUCCESS ? std::string(text) : simdjson::minify(value);
    }
    const std::size_t index = items_.find(key);
    std::string_view criterion, winner, shown;
    if (index == label::ItemList::npos || record["criterion"].get_string().get(criterion) != simdjson::SUCCESS ||
        record["winner"].get_string().get(winner) != simdjson::SUCCESS ||
        record["shown"].get_string().get(shown) != simdjson::SUCCESS)
      throw prefline::DataError(fmt::format("{}: a vote on no item of the input, or without criterion, winner, shown", where));
    const auto found = std::find(settings_.criteria.begin(), settings_.criteria.end(), criterion);
    if (found == settings_.criteria.end())
      throw prefline::DataError(fmt::format("{}: criterion '{}' is not one of --criteria", where, criterion));
    const bool b_first = shown == "b";
    std::string choice = "equal";
    if (winner == "a") choice = b_first ? "right" : "left";
    if (winner == "b") choice = b_first ? "left" : "right";
    remember_vote(grader, index, static_cast<std::size_t>(found - settings_.criteria.begin()), std::string(line), choice);
  }

  void write_outputs(Grader& grader) {
    if (!settings_.compare) {
      grader.sheet->write_csv(grader.files.csv);
      return;
    }
    std::string text;
    for (const auto& key : grader.vote_order) {
      text += grader.votes[key];
      text.push_back('\n');
    }
    label::write_file_atomically(grader.files.votes, text);
  }

  const Settings& settings_;
  label::ItemList items_;
  std::map<std::string, std::unique_ptr<Grader>> graders_;
  std::mutex mutex_;
  simdjson::dom::parser parser_;
};

bool same_token(std::string_view given, std::string_view expected) {
  // Compared in time independent of where they differ.
  if (given.size() != expected.size()) return false;
  unsigned char difference = 0;
  for (std::size_t i = 0; i < given.size(); ++i)
    difference |= static_cast<unsigned char>(given[i] ^ expected[i]);
  return difference == 0;
}

void send_error(httplib::Response& response, int status, std::string_view message) {
  prefline::Buffer out;
  prefline::JsonWriter json(out);
  json.begin_object().key("error").string(message).end_object();
  response.status = status;
  response.set_content(std::string(out.view()), "application/json");
}

std::string_view content_type_of(std::string_view name) {
  static constexpr std::pair<std::string_view, std::string_view> types[] = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"}, {".csv", "text/csv; charset=utf-8"}, {".svg", "image/svg+xml"}};
  for (const auto& [extension, type] : types)
    if (name.ends_with(extension)) return type;
  return "text/plain; charset=utf-8";
}

void run(const Options& options) {
  const Settings settings = make_settings(options);
  label::ItemList items = read_items(settings);
  std::error_code error;
  std::filesystem::create_directories(settings.out, error);
  if (error) throw prefline::DataError(fmt::format("cannot create '{}': {}", settings.out, error.message()));
  Labeler labeler(settings, std::move(items));
  if (!settings.grader.empty()) labeler.grader(settings.grader);  // replay now: a bad journal stops here

  httplib::Server files;
  httplib::Server app;
  // Responses go out at once: with Nagle's algorithm on, httplib's separate
  // writes of headers and body wait for the client's delayed ACK (~40 ms a grade).
  files.set_tcp_nodelay(true);
  app.set_tcp_nodelay(true);
  const int files_port = settings.files_port == 0 ? files.bind_to_any_port(settings.bind)
                                                  : (files.bind_to_port(settings.bind, settings.files_port) ? settings.files_port : -1);
  if (files_port < 0) throw prefline::DataError(fmt::format("cannot listen on '{}' port {}", settings.bind, settings.files_port));
  const int port = settings.port == 0 ? app.bind_to_any_port(settings.bind)
                                      : (app.bind_to_port(settings.bind, settings.port) ? settings.port : -1);
  if (port < 0) throw prefline::DataError(fmt::format("cannot listen on '{}' port {}", settings.bind, settings.port));
  const std::string host = settings.bind.find(':') != std::string::npos ? "[" + settings.bind + "]" : settings.bind;
  const std::string files_origin = fmt::format("http://{}:{}", host, files_port);

  const auto authorised = [&](const httplib::Request& request) {
    if (settings.token.empty()) return true;
    const std::string given =
        request.has_header("X-Label-Token") ? request.get_header_value("X-Label-Token") : request.get_param_value("token");
    return same_token(given, settings.token);
  };
  // Answers' files: another origin, read from memory by item number and
  // name. The token is part of the path, so relative URLs inside the
  // answer (fetch('data.csv')) carry it.
  files.set_payload_max_length(settings.max_body);
  files.Get(R"(/t/([A-Za-z0-9_-]*)/i/(\d{1,9})/(.+))", [&](const httplib::Request& request, httplib::Response& response) {
    if (!settings.token.empty() && !same_token(request.matches[1].str(), settings.token))
      return send_error(response, 403, "a token is needed");
    const std::string* content = labeler.answer_file(std::stoul(request.matches[2].str()), request.matches[3].str());
    if (content == nullptr) return send_error(response, 404, "no such file in this answer");
    // The answer may run its own scripts and load libraries from a CDN,
    // but not be framed elsewhere nor post forms; CORS lets its sandboxed
    // (opaque-origin) page fetch its own data files.
    response.set_header("Content-Security-Policy",
                        "default-src 'self' https: data: blob: 'unsafe-inline' 'unsafe-eval'; form-action 'none'; "
                        "frame-ancestors " + fmt::format("http://{}:{}", host, port));
    response.set_header("Access-Control-Allow-Origin", "*");
    response.set_header("X-Content-Type-Options", "nosniff");
    response.set_content(*content, std::string(content_type_of(request.matches[3].str())));
  });

  app.set_payload_max_length(settings.max_body);
  app.set_pre_routing_handler([&](const httplib::Request& request, httplib::Response& response) {
    if (!authorised(request)) {
      send_error(response, 403, "a token is needed: open the URL label printed");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  const std::string csp = fmt::format(
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
      "frame-src {}; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
      files_origin);
  const auto page_headers = [&](httplib::Response& response) {
    response.set_header("Content-Security-Policy", csp);
    response.set_header("X-Content-Type-Options", "nosniff");
    response.set_header("Cache-Control", "no-store");
  };
  // The grader of a request: ?grader= (a checked file stem), else --grader.
  const auto grader_of = [&](const httplib::Request& request, httplib::Response& response) -> Grader* {
    std::string name = request.has_param("grader") ? request.get_param_value("grader") : settings.grader;
    if (name.empty()) {
      send_error(response, 400, "no grader: open the page with ?grader=NAME");
      return nullptr;
    }
    if (auto problem = label::grader_name_problem(name)) {
      send_error(response, 400, *problem);
      return nullptr;
    }
    return &labeler.grader(name);
  };
  app.Get("/", [&](const httplib::Request&, httplib::Response& response) {
    page_headers(response);
    std::string page(label::page_html);
    const std::string suffix = settings.token.empty() ? std::string() : "?token=" + settings.token;
    for (std::size_t at; (at = page.find("{{TOKEN}}")) != std::string::npos;) page.replace(at, 9, suffix);
    response.set_content(page, "text/html; charset=utf-8");
  });
  // No icon, but an answer (204) rather than a 404 in the grader's console.
  app.Get("/favicon.ico", [&](const httplib::Request&, httplib::Response& response) { response.status = 204; });
  app.Get("/app.js", [&](const httplib::Request&, httplib::Response& response) {
    page_headers(response);
    response.set_content(std::string(label::page_js), "text/javascript; charset=utf-8");
  });
  app.Get("/app.css", [&](const httplib::Request&, httplib::Response& response) {
    page_headers(response);
    response.set_content(std::string(label::page_css), "text/css; charset=utf-8");
  });
  app.Get("/api/state", [&](const httplib::Request& request, httplib::Response& response) {
    std::lock_guard lock(labeler.mutex());
    Grader* grader = grader_of(request, response);
    if (grader == nullptr) return;
    std::string state = labeler.state_json(*grader);
    state.pop_back();
    state += fmt::format(",\"filesOrigin\":\"{}\",\"filesToken\":\"{}\"}}", files_origin, settings.token);
    response.set_content(state, "application/json");
  });
  app.Get("/api/items", [&](const httplib::Request& request, httplib::Response& response) {
    const auto number = [&](const char* name, std::size_t fallback) -> std::optional<std::size_t> {
      if (!request.has_param(name)) return fallback;
      const std::string text = request.get_param_value(name);
      std::size_t value = 0;
      const auto [end, failed] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (failed != std::errc() || end != text.data() + text.size()) return std::nullopt;
      return value;
    };
    const auto offset = number("offset", 0);
    const auto limit = number("limit", settings.page_size);
    if (!offset || !limit || *limit == 0 || *limit > settings.page_size)
      return send_error(response, 400, fmt::format("offset must be a number, limit from 1 to {}", settings.page_size));
    std::lock_guard lock(labeler.mutex());
    Grader* grader = grader_of(request, response);
    if (grader == nullptr) return;
    response.set_content(labeler.items_json(*grader, *offset, *limit), "application/json");
  });
  app.Get("/api/agreement", [&](const httplib::Request& request, httplib::Response& response) {
    if (settings.compare) return send_error(response, 404, "agreement of votes: run votes on the vote files");
    std::lock_guard lock(labeler.mutex());
    Grader* grader = grader_of(request, response);
    if (grader == nullptr) return;
    response.set_content(labeler.agreement_json(*grader), "application/json");
  });
  const auto post = [&](bool is_vote) {
    return [&, is_vote](const httplib::Request& request, httplib::Response& response) {
      const auto started = std::chrono::steady_clock::now();
      if (settings.compare != is_vote) return send_error(response, 404, is_vote ? "not in --rate mode" : "not in --compare mode");
      thread_local simdjson::dom::parser parser;
      simdjson::padded_string body(request.body);
      simdjson::dom::object object;
      if (parser.parse(body).get(object) != simdjson::SUCCESS) return send_error(response, 400, "the body is not a JSON object");
      std::lock_guard lock(labeler.mutex());
      Grader* grader = grader_of(request, response);
      if (grader == nullptr) return;
      try {
        const std::string problem = is_vote ? labeler.vote(*grader, object) : labeler.grade(*grader, object);
        if (!problem.empty()) return send_error(response, 400, problem);
      } catch (const std::exception& failure) {
        // Not saved: the page keeps the change and says so.
        fmt::print(stderr, "label: {}\n", failure.what());
        return send_error(response, 500, failure.what());
      }
      response.set_content(R"({"saved":true})", "application/json");
      // The time this server took to save (parse, journal + fdatasync, sheet
      // rewritten), for the page's developer tools and bench/label.sh.
      const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - started;
      response.set_header("Server-Timing", fmt::format("save;dur={:.3f}", took.count()));
    };
  };
  app.Post("/api/grade", post(false));
  app.Post("/api/vote", post(true));

  std::thread files_thread([&] { files.listen_after_bind(); });
  std::string url = fmt::format("http://{}:{}/", host, port);
  std::string query;
  if (!settings.token.empty()) query += "token=" + settings.token;
  if (!settings.grader.empty()) query += (query.empty() ? "" : "&") + std::string("grader=") + settings.grader;
  if (!query.empty()) url += "?" + query;
  fmt::print("label: {}\n", url);
  std::fflush(stdout);
  if (!options.quiet)
    fmt::print(stderr, "label: {} items ({}), files in '{}'; answers' files from port {}\n", labeler.items().size(),
               settings.compare ? "compare" : "rate", settings.out, files_port);
  const bool listened = app.listen_after_bind();
  files.stop();
  files_thread.join();
  if (!listened) throw prefline::DataError("the server stopped with an error");
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  return prefline::run_tool(
      tool, help_head, argc, argv,
      [&](CLI::App& app) {
        app.add_option("--rate", options.rate);
        app.add_option("--compare", options.compare);
        app.add_option("--item", options.item);
        app.add_option("--prompt-field", options.prompt_field);
        app.add_option("--prompts", options.prompts);
        app.add_option("--a", options.a);
        app.add_option("--b", options.b);
        app.add_option("--a-id", options.a_id);
        app.add_option("--b-id", options.b_id);
        app.add_option("--grader", options.grader);
        app.add_option("--out", options.out);
        app.add_option("--scale", options.scales);
        app.add_option("--criteria", options.criteria);
        app.add_flag("--show-models", options.show_models);
        app.add_option("--max-sd", options.max_sd);
        app.add_option("--keys", options.keys);
        app.add_option("--bind", options.bind);
        app.add_option("--token", options.token);
        app.add_option("--port", options.port);
        app.add_option("--files-port", options.files_port);
        app.add_option("--max-body", options.max_body);
        app.add_option("--page-size", options.page_size);
        app.add_flag("-q,--quiet", options.quiet);
      },
      [&] { run(options); });
}
