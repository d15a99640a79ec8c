#include "prefline/label/grader_name.hpp"

#include <gtest/gtest.h>

namespace {

TEST(GraderName, AcceptsSafeStems) {
  EXPECT_FALSE(prefline::label::grader_name_problem("ej-fox"));
  EXPECT_FALSE(prefline::label::grader_name_problem("alice_2.v1"));
  EXPECT_FALSE(prefline::label::grader_name_problem(std::string(64, 'a')));
}

TEST(GraderName, RejectsPathsAndHiddenNames) {
  EXPECT_EQ(*prefline::label::grader_name_problem("../etc"), "grader name '../etc' starts with '.'");
  EXPECT_EQ(*prefline::label::grader_name_problem("a/b"),
            "grader name 'a/b' has a character other than letters, digits, '.', '_' and '-'");
  EXPECT_EQ(*prefline::label::grader_name_problem("-rf"), "grader name '-rf' starts with '-'");
  EXPECT_EQ(*prefline::label::grader_name_problem(""), "a grader name is empty");
  EXPECT_EQ(*prefline::label::grader_name_problem(std::string(65, 'b')),
            "grader name 'bbbbbbbbbbbbbbbb...' is longer than 64 characters");
  EXPECT_TRUE(prefline::label::grader_name_problem("caf\xc3\xa9"));
  EXPECT_TRUE(prefline::label::grader_name_problem("a b"));
}

TEST(GraderName, FilesStayInTheOutFolder) {
  const auto files = prefline::label::grader_files("grades", "ej-fox");
  EXPECT_EQ(files.csv, "grades/ej-fox.csv");
  EXPECT_EQ(files.journal, "grades/ej-fox.journal.jsonl");
  EXPECT_EQ(files.votes, "grades/ej-fox.votes.jsonl");
  EXPECT_EQ(prefline::label::grader_files("out/", "b").csv, "out/b.csv");
  EXPECT_EQ(prefline::label::grader_files("", "b").csv, "./b.csv");
}

}  // namespace
