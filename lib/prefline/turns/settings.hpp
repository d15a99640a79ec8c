// turns' options as parsed from the command line, and the settings made from
// them: every option checked before any input is read (a usage error exits 2).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "prefline/cli/errors.hpp"
#include "prefline/cli/tool.hpp"
#include "prefline/turns/cutting.hpp"
#include "prefline/turns/layout.hpp"
#include "prefline/turns/sampling.hpp"

namespace prefline::turns {

inline constexpr std::string_view tool_name = "turns";

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
  bool with_hash = false;
  long long merge_sample = 0;
  std::string stdin_name = "-";
  long long first_line = 1;
};

struct Settings {
  Layout layout;
  std::vector<std::string> keep;
  TurnSelection selection;
  std::optional<std::regex> skip_if;
  std::size_t max_chars = 0;  // 0: no limit
  RateThreshold rate{1};
  std::size_t sample = 0;
  std::size_t per_instance = 0;
  std::string on;  // --join's key field: --on, else --id
  std::size_t merge_sample = 0;  // > 0: read turn records, not trajectories
  bool sampled() const { return sample > 0 || per_instance > 0; }
};

// --merge-sample reads turn records: the options that read, cut and sample
// trajectories belong to the runs that wrote them.
inline void check_merge_options(const Options& options) {
  const Options defaults;
  const std::pair<const char*, bool> given[] = {
      {"--messages", options.messages != defaults.messages}, {"--role", options.role != defaults.role},
      {"--content", options.content != defaults.content}, {"--roles", !options.roles.empty()},
      {"--id", options.id != defaults.id}, {"--keep", !options.keep.empty()}, {"--turns", !options.turns.empty()},
      {"--min-history", options.min_history != defaults.min_history}, {"--skip-if", !options.skip_if.empty()},
      {"--max-chars", options.max_chars != 0}, {"--rate", options.rate != 1}, {"--sample", options.sample != 0},
      {"--per-instance", options.per_instance != 0}, {"--seed", options.seed != 0},
      {"--exclude", !options.exclude.empty()}, {"--include", !options.include.empty()},
      {"--join", !options.join.empty()}, {"--stats", !options.stats.empty()},
      {"--stdin-name", options.stdin_name != defaults.stdin_name},
      {"--first-line", options.first_line != defaults.first_line}};
  for (const auto& [name, is_given] : given)
    if (is_given)
      throw prefline::UsageError(fmt::format("--merge-sample reads turn records: {} is for the runs that write them "
                                             "(turns --with-hash --sample N on each shard)",
                                             name));
}

inline Settings make_settings(const Options& options) {
  prefline::check_common_options(options.common);
  Settings settings;
  for (const auto& [name, value] : {std::pair{"--messages", &options.messages}, std::pair{"--role", &options.role},
                                    std::pair{"--content", &options.content}, std::pair{"--id", &options.id}})
    if (value->empty()) throw prefline::UsageError(fmt::format("{} needs a field name", name));
  settings.layout.role = options.role;
  settings.layout.content = options.content;
  settings.layout.renamed_roles = parse_roles("--roles", options.roles);
  settings.keep = prefline::parse_name_list("--keep", options.keep, true);
  std::vector<std::string> written = {options.id, "source", "messages", "reference"};
  if (!options.into.empty()) written.push_back(options.into);
  for (const std::string& field : settings.keep)
    for (const std::string& name : written)
      if (field == name)
        throw prefline::UsageError(fmt::format("--keep: '{}' is also a field that turns writes ({}, source, messages, "
                                               "reference{}); leave it out of --keep",
                                               field, options.id, options.into.empty() ? "" : ", " + options.into));
  if (!options.turns.empty()) settings.selection = TurnSelection::parse("--turns", options.turns);
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
  settings.rate = RateThreshold(options.rate);
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
  if (options.first_line < 1) throw prefline::UsageError("--first-line must be 1 or more");
  if (options.stdin_name.empty()) throw prefline::UsageError("--stdin-name needs a name");
  if (options.stdin_name != "-" || options.first_line != 1)
    for (const std::string& file : options.common.files)
      if (file != "-")
        throw prefline::UsageError(fmt::format("--stdin-name and --first-line name standard input (a shard fed "
                                               "through a pipe), not FILE '{}'",
                                               file));
  if (options.merge_sample < 0) throw prefline::UsageError("--merge-sample must be 1 or more");
  settings.merge_sample = static_cast<std::size_t>(options.merge_sample);
  if (settings.merge_sample > 0) check_merge_options(options);
  return settings;
}

}  // namespace prefline::turns
