// The kinds of failure a tool can meet; cli/tool.hpp maps each to a message and an
// exit code in one place (0 success, 1 data or runtime error, 2 usage error).
#pragma once

#include <stdexcept>
#include <string>

namespace prefline {

// A bad option or option value: exit 2, before any input is read.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Bad input data or a runtime failure (cannot open a file...): exit 1.
// The message is complete without the tool name, e.g. "grades.csv:7: row has 3 cells, header has 9".
struct DataError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Writing the output failed for another reason than a closed pipe: exit 1.
struct WriteError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The reader of our output went away (EPIPE with SIGPIPE ignored): a normal, silent end.
struct ClosedPipe : std::exception {
  const char* what() const noexcept override { return "closed pipe"; }
};

}  // namespace prefline
