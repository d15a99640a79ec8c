// The --help text's option tables, and the block of options every tool shares
// (-o, --skip-invalid, --rejects, -q, -h, --version), written once here so
// the nine manuals cannot drift apart. Descriptions are wrapped greedily at
// 80 columns under their option column, as the hand-written tables are.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace prefline {

inline constexpr std::size_t help_width = 80;

struct HelpOption {
  std::string_view flags;    // "  -o, --output FILE" (with its indent)
  std::string description;   // one paragraph, wrapped by option_table
};

// One row per option: the flags, padded to `column` (a flags text as wide as
// the column or wider puts the description on the next line), then the
// description's words, wrapped at help_width under the description column.
inline std::string option_table(const std::vector<HelpOption>& options, std::size_t column) {
  std::string out;
  for (const HelpOption& option : options) {
    std::string line(option.flags);
    if (line.size() + 1 > column) {
      out += line;
      out += '\n';
      line.clear();
    }
    line.resize(column, ' ');
    bool first_word = true;
    std::string_view rest = option.description;
    while (!rest.empty()) {
      const std::size_t space = rest.find(' ');
      const std::string_view word = rest.substr(0, space);
      rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
      if (word.empty()) continue;
      if (!first_word && line.size() + 1 + word.size() > help_width) {
        out += line;
        out += '\n';
        line.assign(column, ' ');
        first_word = true;
      }
      if (!first_word) line += ' ';
      line += word;
      first_word = false;
    }
    out += line;
    out += '\n';
  }
  return out;
}

// What a tool may say differently in the shared block (its own words for
// what "the output" or "a bad record" is); empty fields take the defaults.
struct CommonHelp {
  std::string_view tool = {};
  std::size_t column = 24;
  bool heading = true;     // a "Common options:" line first
  std::string_view output = {};  // -o
  std::string_view skip_invalid = {};
  std::string_view rejects = {};
  std::string_view quiet = {};
};

inline std::string common_options_help(const CommonHelp& help) {
  auto or_default = [](std::string_view text, std::string fallback) {
    return text.empty() ? fallback : std::string(text);
  };
  const std::vector<HelpOption> options = {
      {"  -o, --output FILE",
       or_default(help.output, "write to FILE instead of standard output; FILE appears only when the tool succeeds")},
      {"      --skip-invalid",
       or_default(help.skip_invalid,
                  fmt::format("skip bad records instead of stopping at the first one; at the end '{}: skipped N "
                              "invalid records' goes to stderr and the exit code is 0",
                              help.tool))},
      {"      --rejects FILE",
       or_default(help.rejects, "with --skip-invalid: write every skipped input line to FILE, byte for byte")},
      {"  -q, --quiet", or_default(help.quiet, "no progress display (shown only when stderr is a terminal), no deprecation notes and no summary line of records left out; errors, and why a run wrote nothing, are always shown")},
      {"  -h, --help", "show this help and exit"},
      {"      --version", "show the version and exit"},
  };
  return (help.heading ? std::string("Common options:\n") : std::string()) + option_table(options, help.column);
}

// A tool's whole --help: its own text before and after the shared block.
inline std::string help_text(std::string_view head, const CommonHelp& common, std::string_view tail) {
  std::string text(head);
  text += common_options_help(common);
  text += tail;
  return text;
}

}  // namespace prefline
