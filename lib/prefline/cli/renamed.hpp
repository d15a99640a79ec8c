// Options renamed to one name per idea across the tools: the old spelling
// keeps working for one release (rewritten to the new one before parsing,
// with a note on stderr unless --quiet) and is listed as deprecated at the
// end of the tool's --help.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace prefline {

struct RenamedOption {
  std::string_view old_name;  // "--meta"
  std::string_view new_name;  // "--stats"
};

// The arguments with every old spelling replaced ("--meta=x" too), up to a
// "--" after which nothing is an option; `notes` gets one line per old name used.
inline std::vector<std::string> rewrite_renamed(const std::vector<std::string>& args,
                                                const std::vector<RenamedOption>& renamed,
                                                std::vector<std::string>& notes) {
  std::vector<std::string> out;
  out.reserve(args.size());
  bool options_end = false;
  for (const std::string& arg : args) {
    if (options_end || arg == "--") {
      options_end = true;
      out.push_back(arg);
      continue;
    }
    std::string rewritten = arg;
    for (const RenamedOption& option : renamed) {
      const std::string_view name = option.old_name;
      const bool exact = arg == name;
      const bool with_value = arg.size() > name.size() && arg.compare(0, name.size(), name) == 0 &&
                              arg[name.size()] == '=';
      if (!exact && !with_value) continue;
      rewritten = std::string(option.new_name) + arg.substr(name.size());
      std::string note = fmt::format("{} is deprecated, use {} (the old name goes in the next release)",
                                     option.old_name, option.new_name);
      bool seen = false;
      for (const std::string& earlier : notes) seen = seen || earlier == note;
      if (!seen) notes.push_back(std::move(note));
      break;
    }
    out.push_back(std::move(rewritten));
  }
  return out;
}

// The --help block listing the old spellings ("" when there are none).
inline std::string renamed_help(const std::vector<RenamedOption>& renamed) {
  if (renamed.empty()) return {};
  std::string text = "\nDeprecated spellings (still accepted, with a note on stderr; removed in the\nnext release):\n";
  for (const RenamedOption& option : renamed)
    text += fmt::format("  {:<22}now {}\n", option.old_name, option.new_name);
  return text;
}

}  // namespace prefline
