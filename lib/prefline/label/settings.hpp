// label's options (Options, as given) and what they mean once checked
// (Settings): every option is checked before any file is read or any port
// bound, so a bad value stops the start with exit 2.
#pragma once

#include <sys/random.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "prefline/cli/errors.hpp"
#include "prefline/cli/tool.hpp"
#include "prefline/label/grade_sheet.hpp"
#include "prefline/label/grader_name.hpp"
#include "prefline/label/item_list.hpp"
#include "prefline/label/key_map.hpp"
#include "prefline/label/scales.hpp"
#include "prefline/label/vote_record.hpp"
#include "prefline/text/split.hpp"

namespace prefline::label {

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
  bool tty = false;
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
  bool tty = false;  // the terminal instead of the page
};

inline bool is_loopback(std::string_view address) { return address == "127.0.0.1" || address == "::1" || address == "localhost"; }

inline std::string generated_token() {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  unsigned char bytes[24];
  if (::getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes))
    throw prefline::DataError("cannot generate a token: getrandom failed");
  std::string token;
  for (unsigned char byte : bytes) token.push_back(alphabet[byte % 62]);
  return token;
}

// Every option checked before any file is read or any port bound.
inline Settings make_settings(const Options& options) {
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
  settings.tty = options.tty;
  if (settings.tty && settings.grader.empty())
    throw prefline::UsageError("--tty needs --grader NAME (one grader at this terminal)");
  if (settings.token.empty() && !is_loopback(settings.bind)) settings.token = generated_token();
  return settings;
}

}  // namespace prefline::label
