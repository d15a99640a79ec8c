#include "prefline/cli/tool.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <functional>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

// Sends a file descriptor (1 or 2) to a temporary file until text() is called.
class Capture {
 public:
  explicit Capture(int fd) : fd_(fd), file_(std::tmpfile()), saved_(::dup(fd)) {
    std::fflush(nullptr);
    ::dup2(::fileno(file_), fd_);
  }
  ~Capture() { restore(); }
  std::string text() {
    restore();
    std::string out;
    std::rewind(file_);
    for (int c; (c = std::fgetc(file_)) != EOF;) out.push_back(static_cast<char>(c));
    return out;
  }

 private:
  void restore() {
    if (saved_ < 0) return;
    std::fflush(nullptr);
    ::dup2(saved_, fd_);
    ::close(saved_);
    saved_ = -1;
  }
  int fd_;
  std::FILE* file_;
  int saved_;
};

struct Outcome {
  int exit = -1;
  std::string out, err;
};

// Runs run_tool("demo", ...) on `args` (without the program name), capturing stdout and stderr.
Outcome run(std::vector<std::string> args, const std::function<void(CLI::App&)>& define,
        const std::function<void()>& main, const std::vector<prefline::RenamedOption>& renamed = {}) {
  args.insert(args.begin(), "demo");
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  Outcome result;
  Capture out(STDOUT_FILENO), err(STDERR_FILENO);
  result.exit = prefline::run_tool("demo", "Usage: demo [OPTIONS] [FILE...]\nthe manual\n",
                                   static_cast<int>(args.size()), argv.data(), define, main, renamed);
  result.out = out.text();
  result.err = err.text();
  return result;
}

const std::string try_help = "Try 'demo --help' for more information.\n";

// A tool with one option and input files; `body` is its work.
struct Demo {
  int total = 10;
  std::vector<std::string> files;
  bool ran = false;
  Outcome operator()(std::vector<std::string> args, const std::function<void()>& body = [] {}) {
    return run(
        std::move(args),
        [this](CLI::App& app) {
          app.add_option("--total", total);
          app.add_option("FILE", files);
        },
        [this, &body] {
          ran = true;
          body();
        });
  }
};

TEST(RunTool, HelpPrintsTheManualAndExitsZero) {
  Demo demo;
  const Outcome result = demo({"--help"});
  EXPECT_EQ(result.exit, 0);
  EXPECT_EQ(result.out, "Usage: demo [OPTIONS] [FILE...]\nthe manual\n");
  EXPECT_EQ(result.err, "");
  EXPECT_FALSE(demo.ran);
}

TEST(RunTool, HelpWinsOverBadOptionsButNotAfterDoubleDash) {
  Demo demo;
  EXPECT_EQ(demo({"--total", "x", "-h"}).out, "Usage: demo [OPTIONS] [FILE...]\nthe manual\n");
  EXPECT_FALSE(demo.ran);

  const Outcome result = demo({"--", "--help"});
  EXPECT_EQ(result.exit, 0);
  EXPECT_EQ(result.out, "");
  EXPECT_TRUE(demo.ran);
  EXPECT_EQ(demo.files, std::vector<std::string>{"--help"});
}

TEST(RunTool, VersionNamesToolAndProject) {
  Demo demo;
  const Outcome result = demo({"--version"});
  EXPECT_EQ(result.exit, 0);
  EXPECT_EQ(result.out, std::string("demo (prefline) ") + PREFLINE_VERSION + "\n");
  EXPECT_FALSE(demo.ran);
}

TEST(RunTool, OptionsReachTheTool) {
  Demo demo;
  const Outcome result = demo({"--total", "25", "a.jsonl", "-"});
  EXPECT_EQ(result.exit, 0);
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(demo.total, 25);
  EXPECT_EQ(demo.files, (std::vector<std::string>{"a.jsonl", "-"}));
}

// "demo: message" (lower-case start, no final period) + the hint, exit 2, nothing run.
void expect_usage_error(const Outcome& result, const std::string& needle) {
  EXPECT_EQ(result.exit, 2);
  EXPECT_EQ(result.out, "");
  ASSERT_TRUE(result.err.starts_with("demo: ")) << result.err;
  ASSERT_TRUE(result.err.ends_with("\n" + try_help)) << result.err;
  const std::string message = result.err.substr(6, result.err.size() - 6 - try_help.size() - 1);
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  EXPECT_FALSE(message.empty());
  EXPECT_FALSE(std::isupper(static_cast<unsigned char>(message[0]))) << message;
  EXPECT_NE(message.back(), '.') << message;
  EXPECT_NE(message.find(needle), std::string::npos) << message;
}

TEST(RunTool, UnknownOptionIsAUsageError) {
  Demo demo;
  expect_usage_error(demo({"--bogus"}), "--bogus");
  EXPECT_FALSE(demo.ran);
}

TEST(RunTool, BadOptionValueIsAUsageError) {
  Demo demo;
  expect_usage_error(demo({"--total", "many"}), "many");
  expect_usage_error(demo({"--total"}), "--total");
  EXPECT_FALSE(demo.ran);
}

TEST(RunTool, OptionErrorsInOurWords) {
  Demo demo;
  EXPECT_EQ(demo({"--total", "many"}).err, "demo: --total: 'many' is not a whole number\n" + try_help);
  EXPECT_EQ(demo({"--total"}).err, "demo: --total needs a value\n" + try_help);
  EXPECT_EQ(demo({"--totl", "3"}).err, "demo: unknown option '--totl'; did you mean '--total'?\n" + try_help);
  EXPECT_EQ(demo({"--tot"}).err, "demo: unknown option '--tot'; did you mean '--total'?\n" + try_help);
  EXPECT_EQ(demo({"--colour=red"}).err, "demo: unknown option '--colour'\n" + try_help);
  EXPECT_FALSE(demo.ran);
}

TEST(RunTool, RenamedOptionsStillWorkWithANote) {
  int total = 0;
  auto define = [&](CLI::App& app) { app.add_option("--total", total); };
  const std::vector<prefline::RenamedOption> renamed = {{"--count", "--total"}};
  Outcome result = run({"--count", "7"}, define, [] {}, renamed);
  EXPECT_EQ(result.exit, 0);
  EXPECT_EQ(total, 7);
  EXPECT_EQ(result.err, "demo: --count is deprecated, use --total (the old name goes in the next release)\n");

  result = run({"--count=8", "-q"}, define, [] {}, renamed);
  EXPECT_EQ(result.exit, 2);  // -q is not an option of this demo, but it silences the note first
  EXPECT_EQ(result.err.find("deprecated"), std::string::npos);

  result = run({"--cuont", "7"}, define, [] {}, renamed);
  EXPECT_EQ(result.err, "demo: unknown option '--cuont'; did you mean '--total' (formerly '--count')?\n" + try_help);

  result = run({"--help"}, define, [] {}, renamed);
  EXPECT_NE(result.out.find("Deprecated spellings"), std::string::npos);
  EXPECT_NE(result.out.find("  --count               now --total\n"), std::string::npos) << result.out;
}

TEST(RunTool, UsageErrorFromTheToolKeepsItsMessage) {
  Demo demo;
  const Outcome result = demo({}, [] { throw prefline::UsageError("--total must be positive, not '0'"); });
  EXPECT_EQ(result.exit, 2);
  EXPECT_EQ(result.err, "demo: --total must be positive, not '0'\n" + try_help);
}

TEST(RunTool, DataErrorExitsOneWithTheMessage) {
  Demo demo;
  const Outcome result = demo({}, [] {
    std::fputs("{\"partial\":1}\n", stdout);
    throw prefline::DataError("in.jsonl:3: expected a JSON object, found an array");
  });
  EXPECT_EQ(result.exit, 1);
  EXPECT_EQ(result.out, "{\"partial\":1}\n");
  EXPECT_EQ(result.err, "demo: in.jsonl:3: expected a JSON object, found an array\n");
}

TEST(RunTool, WriteErrorSaysSo) {
  Demo demo;
  const Outcome result = demo({}, [] { throw prefline::WriteError("No space left on device"); });
  EXPECT_EQ(result.exit, 1);
  EXPECT_EQ(result.err, "demo: write error: No space left on device\n");
}

TEST(RunTool, ClosedPipeIsASilentSuccess) {
  Demo demo;
  const Outcome result = demo({}, [] { throw prefline::ClosedPipe(); });
  EXPECT_EQ(result.exit, 0);
  EXPECT_EQ(result.err, "");
}

TEST(RunTool, OtherFailuresExitOneInHouseStyle) {
  Demo demo;
  Outcome result = demo({}, [] { throw std::runtime_error("Cannot open 'x.jsonl'.\n"); });
  EXPECT_EQ(result.exit, 1);
  EXPECT_EQ(result.err, "demo: cannot open 'x.jsonl'\n");

  result = demo({}, [] { throw std::bad_alloc(); });
  EXPECT_EQ(result.exit, 1);
  EXPECT_EQ(result.err, "demo: out of memory\n");
}

TEST(CheckCommonOptions, RejectsWithoutSkipInvalid) {
  prefline::CommonOptions options;
  options.rejects = "bad.jsonl";
  EXPECT_THROW(prefline::check_common_options(options), prefline::UsageError);
  options.skip_invalid = true;
  EXPECT_NO_THROW(prefline::check_common_options(options));
}

TEST(CheckCommonOptions, RejectsAndOutputMustDiffer) {
  prefline::CommonOptions options;
  options.skip_invalid = true;
  options.rejects = options.output = "out.jsonl";
  try {
    prefline::check_common_options(options);
    FAIL() << "no error";
  } catch (const prefline::UsageError& error) {
    EXPECT_STREQ(error.what(), "--rejects and --output name the same file 'out.jsonl'");
  }
}

TEST(CheckCommonOptions, StandardInputAtMostOnce) {
  prefline::CommonOptions options;
  options.files = {"-", "a.jsonl"};
  EXPECT_NO_THROW(prefline::check_common_options(options));
  options.files.push_back("-");
  EXPECT_THROW(prefline::check_common_options(options), prefline::UsageError);
  options.files = {};
  options.output = "";
  EXPECT_THROW(prefline::check_common_options(options), prefline::UsageError);
}

TEST(ParseNumber, WholeFiniteNumbersOnly) {
  EXPECT_EQ(prefline::parse_number("--edges", "66.5"), 66.5);
  EXPECT_EQ(prefline::parse_number("--edges", "-1e3"), -1000);
  for (const char* text : {"", "abc", "1,5", "1.5x", " 1", "inf", "nan", "1e999"}) {
    try {
      prefline::parse_number("--edges", text);
      ADD_FAILURE() << "accepted '" << text << "'";
    } catch (const prefline::UsageError& error) {
      EXPECT_EQ(std::string(error.what()), std::string("--edges: '") + text + "' is not a number");
    }
  }
  EXPECT_EQ(prefline::parse_number_list("--edges", "66,80"), (std::vector<double>{66, 80}));
}

TEST(ParseNameList, DistinctNonEmptyNames) {
  EXPECT_EQ(prefline::parse_name_list("--names", "train,validation,test"),
            (std::vector<std::string>{"train", "validation", "test"}));
  EXPECT_EQ(prefline::parse_name_list("--keep", "", true), std::vector<std::string>{});
  auto message = [](const char* text) {
    try {
      prefline::parse_name_list("--names", text);
    } catch (const prefline::UsageError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message(""), "--names needs at least one name");
  EXPECT_EQ(message("a,,b"), "--names: empty name in 'a,,b'");
  EXPECT_EQ(message("a,b,a"), "--names: 'a' given twice");
}

TEST(BadRecords, NamesTheShapeOfAFileThatIsNotJsonLines) {
  prefline::CommonOptions options;
  prefline::BadRecords bad(options);
  try {
    bad.handle("grades.csv", 1, "invalid JSON: bad structure", "challenge,model,grade");
    FAIL();
  } catch (const prefline::DataError& error) {
    EXPECT_STREQ(error.what(), "grades.csv:1: this looks like CSV; convert it with csv2jsonl first");
  }
}

TEST(BadRecords, StrictByDefault) {
  prefline::CommonOptions options;
  prefline::BadRecords bad(options);
  try {
    bad.handle("in.jsonl", 7, "invalid JSON: unclosed string", "{\"a\":\"x");
    FAIL() << "no error";
  } catch (const prefline::DataError& error) {
    EXPECT_STREQ(error.what(), "in.jsonl:7: invalid JSON: unclosed string");
  }
}

TEST(BadRecords, SkipInvalidCountsAndReports) {
  prefline::CommonOptions options;
  options.skip_invalid = true;
  prefline::BadRecords bad(options);
  EXPECT_FALSE(bad.keeps_raw());
  bad.handle("in.jsonl", 1, "reason", "x");
  bad.handle("in.jsonl", 2, "reason", "y");
  EXPECT_EQ(bad.skipped(), 2u);
  Capture err(STDERR_FILENO);
  bad.finish("demo");
  EXPECT_EQ(err.text(), "demo: skipped 2 invalid records\n");
}

}  // namespace
