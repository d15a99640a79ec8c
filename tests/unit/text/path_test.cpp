#include "prefline/text/path.hpp"

#include <gtest/gtest.h>

namespace {

TEST(PathStem, DropsFoldersAndTheLastExtension) {
  EXPECT_EQ(prefline::path_stem("grades/alice-2024-01-15.csv"), "alice-2024-01-15");
  EXPECT_EQ(prefline::path_stem("/a/b/c.tar.gz"), "c.tar");
  EXPECT_EQ(prefline::path_stem("bob.csv"), "bob");
  EXPECT_EQ(prefline::path_stem("noext"), "noext");
}

TEST(PathStem, LeadingDotIsNoExtension) {
  EXPECT_EQ(prefline::path_stem("dir/.hidden"), ".hidden");
  EXPECT_EQ(prefline::path_stem("dir.d/file"), "file");
}

TEST(PathStem, EmptyWhenThereIsNoName) {
  EXPECT_EQ(prefline::path_stem(""), "");
  EXPECT_EQ(prefline::path_stem("folder/"), "");
  EXPECT_EQ(prefline::path_stem("-"), "-");
}

}  // namespace
