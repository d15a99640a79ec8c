// A labeling session: the items, and each grader's order, grade sheet or
// votes and journal. A change is journaled (synced) before the grader's
// files are rewritten from memory; the page's server and the terminal both
// work through this class.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/cli/errors.hpp"
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
#include "prefline/label/settings.hpp"
#include "prefline/label/vote_record.hpp"
#include "prefline/text/timestamp.hpp"

namespace prefline::label {

inline label::ItemList read_items(const Settings& settings) {
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
inline bool is_html_answer(const label::Item& item) {
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

// Agreement over the graders whose journals are in --out, as the asking
// grader sees it: disputed items as positions in that grader's order.
struct AgreementNow {
  std::size_t graders = 0;
  std::vector<double> alpha;  // per scale; NaN: not defined yet
  std::vector<std::size_t> disputed;
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
    label::GradeChange change = change_of(static_cast<std::size_t>(index));
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
    apply_grade(grader, change);
    return {};
  }

  // A checked change of item `change`'s row: journaled and synced, then
  // the sheet rewritten.
  void apply_grade(Grader& grader, const GradeChange& change) {
    const label::GradeRow& row = grader.sheet->apply(change);
    grader.journal.append(label::GradeSheet::journal_line(row));
    write_outputs(grader);
  }

  // The change of item `index`'s grade, without its scores or notes yet.
  GradeChange change_of(std::size_t index) const {
    const label::Item& item = items_.items()[index];
    GradeChange change;
    change.challenge = item.key_text[0];
    change.model = item.key_text[1];
    change.type = item.type;
    change.at_ms = prefline::record_time_milliseconds();
    return change;
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
    apply_vote(grader, static_cast<std::size_t>(index), static_cast<std::size_t>(found - settings_.criteria.begin()),
               choice);
    return {};
  }

  // A vote on item `index`, criterion number `criterion`, as chosen on the
  // screen (left, right or equal): journaled and synced, then the grader's
  // vote file rewritten.
  void apply_vote(Grader& grader, std::size_t index, std::size_t criterion, std::string_view choice) {
    const label::Item& item = items_.items()[index];
    label::VoteRecord vote;
    for (std::size_t k = 0; k < item.key_json.size(); ++k)
      vote.key.emplace_back(settings_.items.item_fields[k], item.key_json[k]);
    vote.model_a = item.id_a;
    vote.model_b = item.id_b;
    vote.b_shown_first = label::b_shown_first(grader.name, item.key);
    vote.winner = label::winner_from_shown(choice, vote.b_shown_first);
    vote.rater = grader.name;
    vote.criterion = settings_.criteria[criterion];
    vote.voted_at_ms = prefline::record_time_milliseconds();
    prefline::Buffer line;
    label::write_vote(line, vote);
    std::string_view text = line.view();
    text.remove_suffix(1);  // the journal adds its own '\n'
    grader.journal.append(text);
    remember_vote(grader, index, criterion, std::string(text), std::string(choice));
    write_outputs(grader);
  }

  // Agreement over every grader with a journal in --out: the graders open
  // here from memory, the others (other servers sharing the folder) read
  // without touching their files. Disputed items as positions in the
  // asking grader's order.
  AgreementNow agreement(Grader& asking) {
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
    AgreementNow now;
    now.graders = sheets.size();
    if (sheets.size() < 2) return now;
    const auto result = label::agreement_so_far(sheets, settings_.scales.size(), settings_.max_sd);
    for (const auto& alpha : result.alpha) now.alpha.push_back(alpha.alpha);
    std::vector<std::size_t> position_of(items_.size());
    for (std::size_t position = 0; position < asking.order.size(); ++position) position_of[asking.order[position]] = position;
    for (const auto& [challenge, model] : result.disputed) {
      const std::size_t index = items_.find(challenge + '\x1f' + model);
      if (index != label::ItemList::npos) now.disputed.push_back(position_of[index]);
    }
    std::sort(now.disputed.begin(), now.disputed.end());
    return now;
  }

  std::string agreement_json(Grader& asking) {
    const AgreementNow now = agreement(asking);
    prefline::Buffer out;
    prefline::JsonWriter json(out);
    json.begin_object();
    json.key("graders").integer(static_cast<std::int64_t>(now.graders));
    if (now.graders >= 2) {
      json.key("alpha").begin_array();
      for (const double alpha : now.alpha) std::isnan(alpha) ? json.null() : json.number(alpha);
      json.end_array();
      json.key("disputed").begin_array();
      for (const std::size_t position : now.disputed) json.integer(static_cast<std::int64_t>(position));
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

}  // namespace prefline::label
