// Command-line plumbing shared by every tool: options via CLI11 (with our own
// --help text, which is the manual), --version, the options every tool has,
// bad-record handling (--skip-invalid, --rejects), and the one place where
// failures become messages and exit codes:
//   0 success, 1 data or runtime error, 2 usage error.
#pragma once

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <exception>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "prefline/cli/errors.hpp"
#include "prefline/cli/renamed.hpp"
#include "prefline/cli/suggest.hpp"
#include "prefline/io/input.hpp"
#include "prefline/io/output.hpp"
#include "prefline/io/output_set.hpp"
#include "prefline/json/line_hints.hpp"
#include "prefline/text/split.hpp"

#ifndef PREFLINE_VERSION
#define PREFLINE_VERSION "0.0.0"
#endif

namespace prefline {

inline constexpr int exit_success = 0;
inline constexpr int exit_data_error = 1;
inline constexpr int exit_usage_error = 2;

// Options every tool accepts.
struct CommonOptions {
  std::vector<std::string> files;
  std::string output = "-";
  bool skip_invalid = false;
  std::string rejects;
  bool quiet = false;
};

inline void add_common_options(CLI::App& app, CommonOptions& options) {
  app.add_option("-o,--output", options.output);
  app.add_flag("--skip-invalid", options.skip_invalid);
  app.add_option("--rejects", options.rejects);
  app.add_flag("-q,--quiet", options.quiet);
  app.add_option("FILE", options.files);
}

// Checks that hold for every tool; call from the tool's setup.
inline void check_common_options(const CommonOptions& options) {
  if (!options.rejects.empty() && !options.skip_invalid)
    throw UsageError("--rejects needs --skip-invalid (skipping records is always an explicit choice)");
  if (options.output.empty()) throw UsageError("--output needs a file name ('-' for standard output)");
  if (!options.rejects.empty() && options.rejects == options.output)
    throw UsageError(fmt::format("--rejects and --output name the same file '{}'", options.output));
  // Standard input can be read once: a second '-' would silently be empty.
  if (std::count(options.files.begin(), options.files.end(), std::string(stdin_name)) > 1)
    throw UsageError("standard input ('-') is named more than once; it can be read only once");
}

// Option values, checked before any input is read (UsageError names the option).

// A finite number, the whole text.
inline double parse_number(std::string_view option, std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    throw UsageError(fmt::format("{}: '{}' is not a number", option, text));
  return value;
}

// "1,2.5,3" -> numbers.
inline std::vector<double> parse_number_list(std::string_view option, std::string_view text) {
  std::vector<double> numbers;
  for (const auto& part : split_list(text)) numbers.push_back(parse_number(option, part));
  return numbers;
}

// "a,b,c" -> distinct, non-empty names (field names, bucket names, metrics).
inline std::vector<std::string> parse_name_list(std::string_view option, std::string_view text,
                                                bool allow_empty = false) {
  if (text.empty()) {
    if (allow_empty) return {};
    throw UsageError(fmt::format("{} needs at least one name", option));
  }
  std::vector<std::string> names = split_list(text);
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty()) throw UsageError(fmt::format("{}: empty name in '{}'", option, text));
    for (std::size_t j = 0; j < i; ++j)
      if (names[i] == names[j]) throw UsageError(fmt::format("{}: '{}' given twice", option, names[i]));
  }
  return names;
}

// What happens to a bad record: an error that stops the tool, or (with
// --skip-invalid) a count and a verbatim copy in the rejects file.
class BadRecords {
 public:
  explicit BadRecords(const CommonOptions& options) : skip_(options.skip_invalid) {
    if (!options.rejects.empty()) own_rejects_.open(options.rejects);
  }
  // The rejects file is one more file of `outputs`, published with the others
  // by outputs.commit() (finish() then only reports the count).
  BadRecords(const CommonOptions& options, OutputSet& outputs) : skip_(options.skip_invalid) {
    if (!options.rejects.empty()) rejects_ = &outputs.add(options.rejects);
  }

  bool keeps_raw() const { return rejects_->is_open(); }

  // `raw` is the record's input bytes; a line end is added when it has none.
  void handle(std::string_view file, std::uint64_t line, std::string_view reason, std::string_view raw) {
    if (!skip_) throw DataError(fmt::format("{}:{}: {}", file, line, explain_bad_line(raw, reason)));
    ++skipped_;
    if (rejects_->is_open()) {
      rejects_->buffer().append(raw);
      if (raw.empty() || raw.back() != '\n') rejects_->buffer().push_back('\n');
      rejects_->maybe_flush();
    }
  }

  std::uint64_t skipped() const { return skipped_; }

  // Writes the rejects file to the end without publishing it (Output::finish_writing).
  void finish_writing() {
    if (rejects_->is_open()) rejects_->finish_writing();
  }

  // Commits the rejects file. Tools call it before committing their output:
  // when the rejects file cannot be written (a full disk), the tool fails and
  // its -o file must not appear. finish() then only reports the count.
  void commit_rejects() {
    if (rejects_->is_open()) rejects_->commit();
  }

  // Commits the rejects file (if commit_rejects() or its OutputSet has not)
  // and reports the count.
  void finish(std::string_view tool) {
    if (rejects_->is_open()) rejects_->commit();
    if (skipped_ > 0) fmt::print(stderr, "{}: skipped {} invalid records\n", tool, skipped_);
  }

 private:
  bool skip_;
  std::uint64_t skipped_ = 0;
  Output own_rejects_;
  Output* rejects_ = &own_rejects_;  // own_rejects_, or a file of an OutputSet
};

namespace detail {
inline std::string lower_first(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  while (!text.empty() && (text.back() == '.' || text.back() == '\n')) text.pop_back();
  return text;
}

// --help and --version win over everything else on the command line (up to "--").
inline std::string_view early_flag(const std::vector<std::string>& args) {
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--") break;
    if (arg == "-h" || arg == "--help") return "help";
    if (arg == "--version") return "version";
  }
  return {};
}

inline bool has_quiet_flag(const std::vector<std::string>& args) {
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--") break;
    if (args[i] == "-q" || args[i] == "--quiet") return true;
  }
  return false;
}

// Every spelling of every option of `app` ("--min-votes", "-o"), for "did you mean".
inline std::vector<std::string> option_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* option : app.get_options()) {
    for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
    for (const std::string& name : option->get_snames()) names.push_back("-" + name);
  }
  return names;
}

// What a value of an option must be, from the type CLI11 converts it to.
inline std::string_view expected_value(const CLI::Option* option) {
  const std::string type = option != nullptr ? option->get_type_name() : std::string();
  if (type.find("UINT") != std::string::npos) return "a whole number (0 or more)";
  if (type.find("INT") != std::string::npos) return "a whole number";
  if (type.find("FLOAT") != std::string::npos || type.find("NUMBER") != std::string::npos) return "a number";
  return "a valid value";
}

// CLI11's parse errors in our words: the option, the value, what it must be.
// A typo of an old spelling ("--feild") suggests the option's new name.
inline std::string parse_error_message(const CLI::App& app, const CLI::ParseError& error,
                                       const std::vector<RenamedOption>& renamed = {}) {
  const std::string text = error.what();
  if (dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr) {
    const std::vector<std::string> extras = app.remaining();
    std::vector<std::string> names = option_names(app);
    for (const RenamedOption& option : renamed) names.emplace_back(option.old_name);
    for (const std::string& extra : extras) {
      if (extra.size() < 2 || extra[0] != '-') continue;
      const std::string name = extra.substr(0, extra.find('='));
      const std::string near = nearest_name(name, names);
      for (const RenamedOption& option : renamed)
        if (near == option.old_name)
          return fmt::format("unknown option '{}'; did you mean '{}' (formerly '{}')?", name, option.new_name,
                             option.old_name);
      if (!near.empty()) return fmt::format("unknown option '{}'; did you mean '{}'?", name, near);
      return fmt::format("unknown option '{}'", name);
    }
    if (!extras.empty()) return fmt::format("unexpected argument '{}'", extras.front());
  }
  if (dynamic_cast<const CLI::ConversionError*>(&error) != nullptr) {
    // "Could not convert: --seed = abc"
    const std::string_view prefix = "Could not convert: ";
    const std::size_t equals = text.find(" = ");
    if (text.rfind(prefix, 0) == 0 && equals != std::string::npos) {
      const std::string name = text.substr(prefix.size(), equals - prefix.size());
      const std::string value = text.substr(equals + 3);
      const CLI::Option* option = nullptr;
      try {
        option = app.get_option(name);
      } catch (const CLI::Error&) {
      }
      return fmt::format("{}: '{}' is not {}", name, value, expected_value(option));
    }
  }
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&error) != nullptr) {
    // "--strategy: 1 required TEXT missing"
    const std::size_t colon = text.find(": ");
    if (colon != std::string::npos && text.find("missing", colon) != std::string::npos)
      return fmt::format("{} needs a value", text.substr(0, colon));
  }
  return lower_first(text);
}
}  // namespace detail

// Runs a tool: `define` adds its options to the CLI11 app; `main` validates
// them (throwing UsageError) and then does the work. Every failure is turned
// into a message and an exit code here, and only here. `renamed` lists old
// option spellings still accepted (see renamed.hpp).
inline int run_tool(std::string_view tool, std::string_view help, int argc, char** argv,
                    const std::function<void(CLI::App&)>& define, const std::function<void()>& main,
                    const std::vector<RenamedOption>& renamed = {}) {
  std::vector<std::string> notes;
  const std::vector<std::string> args = rewrite_renamed(std::vector<std::string>(argv, argv + argc), renamed, notes);
  const std::string_view flag = detail::early_flag(args);
  if (flag == "help") {
    fmt::print("{}{}", help, renamed_help(renamed));
    return std::fflush(stdout) == 0 ? exit_success : exit_data_error;
  }
  if (flag == "version") {
    fmt::print("{} (prefline) {}\n", tool, PREFLINE_VERSION);
    return std::fflush(stdout) == 0 ? exit_success : exit_data_error;
  }
  auto usage_error = [&](const std::string& message) {
    fmt::print(stderr, "{}: {}\nTry '{} --help' for more information.\n", tool, message, tool);
    return exit_usage_error;
  };
  if (!detail::has_quiet_flag(args))
    for (const std::string& note : notes) fmt::print(stderr, "{}: {}\n", tool, note);
  try {
    CLI::App app{std::string(tool)};
    app.set_help_flag();
    app.allow_extras(false);
    define(app);
    try {
      std::vector<const char*> pointers;
      pointers.reserve(args.size());
      for (const std::string& arg : args) pointers.push_back(arg.c_str());
      app.parse(static_cast<int>(pointers.size()), pointers.data());
    } catch (const CLI::ParseError& error) {
      return usage_error(detail::parse_error_message(app, error, renamed));
    }
    main();
    return exit_success;
  } catch (const UsageError& error) {
    return usage_error(error.what());
  } catch (const ClosedPipe&) {
    return exit_success;
  } catch (const WriteError& error) {
    fmt::print(stderr, "{}: write error: {}\n", tool, error.what());
  } catch (const DataError& error) {
    fmt::print(stderr, "{}: {}\n", tool, error.what());
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "{}: out of memory\n", tool);
  } catch (const std::exception& error) {
    fmt::print(stderr, "{}: {}\n", tool, detail::lower_first(error.what()));
  }
  return exit_data_error;
}

}  // namespace prefline
