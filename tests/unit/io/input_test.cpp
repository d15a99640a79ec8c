#include "prefline/io/input.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

namespace {

TEST(Input, MissingFileNamesTheFile) {
  try {
    prefline::InputFile input("/nonexistent-folder/in.csv");
    FAIL() << "no exception";
  } catch (const prefline::DataError& error) {
    EXPECT_STREQ(error.what(), "cannot open '/nonexistent-folder/in.csv': No such file or directory");
  }
}

TEST(Input, NoFilesMeansStandardInput) {
  EXPECT_EQ(prefline::inputs_or_stdin({}), (std::vector<std::string>{"-"}));
  EXPECT_EQ(prefline::inputs_or_stdin({"a", "-"}), (std::vector<std::string>{"a", "-"}));
}

// read_fully gathers what a pipe delivers in pieces; read_some returns what
// one read(2) gives; both return 0 at the end.
TEST(Input, ReadsFromADescriptorUntilTheEnd) {
  const std::string path = ::testing::TempDir() + "input-test.txt";
  std::FILE* file = std::fopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  std::fputs("hello, world\n", file);
  std::fclose(file);
  prefline::InputFile input(path);
  EXPECT_EQ(input.name(), path);
  EXPECT_GT(input.fd(), STDERR_FILENO);
  char buffer[64];
  EXPECT_EQ(input.read_fully(buffer, 5), 5u);
  EXPECT_EQ(std::string(buffer, 5), "hello");
  EXPECT_EQ(input.read_fully(buffer, sizeof buffer), 8u);
  EXPECT_EQ(std::string(buffer, 8), ", world\n");
  EXPECT_EQ(input.read_some(buffer, sizeof buffer), 0u);
  std::remove(path.c_str());
}

TEST(Input, DashIsStandardInputAndStaysOpen) {
  const int before = ::fcntl(STDIN_FILENO, F_GETFD);
  {
    prefline::InputFile input("-");
    EXPECT_EQ(input.fd(), STDIN_FILENO);
    EXPECT_EQ(input.name(), "-");
  }
  EXPECT_EQ(::fcntl(STDIN_FILENO, F_GETFD), before);
}

}  // namespace
