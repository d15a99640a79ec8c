// generate/grid.hpp: the grid's cells in model-major order, request seeds
// (stable, 31 bits, different for every place in the grid), batch custom_ids
// and the --system file's checks.
#include "prefline/generate/grid.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "prefline/cli/errors.hpp"

namespace {

using prefline::generate::Grid;

Grid two_by_two() {
  Grid grid;
  grid.models.resize(2);
  grid.models[0].name = "a";
  grid.models[1].name = "b";
  grid.systems = {{"", ""}, {"terse", "Be terse."}};
  grid.temperatures = {0.3, 1.0};
  grid.samples = 3;
  return grid;
}

TEST(GenerateGrid, CellsAreModelMajorThenVariantThenTemperature) {
  const Grid grid = two_by_two();
  const auto cells = grid.cells();
  ASSERT_EQ(cells.size(), 8u);
  EXPECT_EQ(grid.answers_per_prompt(), 24u);
  EXPECT_EQ(cells[0].model, 0u);
  EXPECT_EQ(cells[0].system, 0u);
  EXPECT_DOUBLE_EQ(cells[0].temperature, 0.3);
  EXPECT_DOUBLE_EQ(cells[1].temperature, 1.0);
  EXPECT_EQ(cells[2].system, 1u);
  EXPECT_EQ(cells[4].model, 1u);
}

TEST(GenerateGrid, RequestSeedsAreStableDistinctAnd31Bits) {
  using prefline::generate::request_seed;
  // The value itself is part of the contract (a rerun must ask the same
  // questions): XXH3-64 of "0000000000000007\0a\0\00.3\00\00" seeded with 0.
  const std::string material = std::string("0000000000000007") + '\0' + "a" + '\0' + "" + '\0' + "0.3" + '\0' + "0" +
                               '\0' + "0";
  EXPECT_EQ(request_seed(7, "a", "", 0.3, 0, 0, 0), prefline::stable_hash(material, 0) & 0x7fffffffULL);
  std::set<std::uint64_t> seen;
  for (const char* model : {"a", "b"})
    for (const char* system : {"", "terse"})
      for (double t : {0.3, 1.0})
        for (std::size_t sample = 0; sample < 3; ++sample)
          for (int attempt = 0; attempt < 2; ++attempt) {
            const std::uint64_t seed = request_seed(7, model, system, t, sample, attempt, 0);
            EXPECT_LT(seed, 1ULL << 31);
            seen.insert(seed);
          }
  EXPECT_EQ(seen.size(), 48u);
  EXPECT_NE(request_seed(7, "a", "", 0.3, 0, 0, 0), request_seed(7, "a", "", 0.3, 0, 0, 1));  // --seed
  EXPECT_NE(request_seed(7, "a", "", 0.3, 0, 0, 0), request_seed(8, "a", "", 0.3, 0, 0, 0));  // the prompt
}

TEST(GenerateGrid, CustomIdsNameTheirPlace) {
  const Grid grid = two_by_two();
  const auto cells = grid.cells();
  EXPECT_EQ(prefline::generate::custom_id(12, grid, cells[0], 0), "p12/a/-/t0.3/s0");
  EXPECT_EQ(prefline::generate::custom_id(3, grid, cells[7], 2), "p3/b/terse/t1/s2");
}

std::string write_system_file(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string system_file_error(const std::string& text) {
  try {
    prefline::generate::read_system_file(write_system_file("systems_bad.jsonl", text));
  } catch (const prefline::UsageError& error) {
    const std::string message = error.what();
    const std::size_t colon = message.find("systems_bad.jsonl");
    return colon == std::string::npos ? message : message.substr(colon);
  }
  return "no error";
}

TEST(GenerateGrid, ReadsNamedSystemPromptsAndNamesEveryProblem) {
  const auto variants = prefline::generate::read_system_file(
      write_system_file("systems.jsonl", "{\"name\":\"terse\",\"content\":\"One line.\"}\n\n{\"name\":\"x\",\"content\":\"\"}\n"));
  ASSERT_EQ(variants.size(), 2u);
  EXPECT_EQ(variants[0].name, "terse");
  EXPECT_EQ(variants[0].text, "One line.");
  EXPECT_EQ(variants[1].text, "");
  EXPECT_EQ(system_file_error("[1]\n"),
            "systems_bad.jsonl:1: not a JSON object; each line is {\"name\": ..., \"content\": ...}");
  EXPECT_EQ(system_file_error("{\"name\":\"\",\"content\":\"x\"}\n"), "systems_bad.jsonl:1: 'name' must be a non-empty string");
  EXPECT_EQ(system_file_error("{\"name\":\"a\"}\n"), "systems_bad.jsonl:1: 'content' (the system prompt) must be a string");
  EXPECT_EQ(system_file_error("{\"name\":\"a\",\"content\":\"x\"}\n{\"name\":\"a\",\"content\":\"y\"}\n"),
            "systems_bad.jsonl:2: the name 'a' is given twice");
  EXPECT_EQ(system_file_error("\n"), "systems_bad.jsonl' holds no system prompt");
}

}  // namespace
