// What generate asks for each prompt: every model x system variant x
// temperature, N samples each (a "cell" is one model, variant and
// temperature), and the seed of every request, derived from the prompt's key
// and the request's place in that grid so that a rerun, on any machine, asks
// exactly the same questions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/cli/errors.hpp"
#include "prefline/llm/endpoint.hpp"
#include "prefline/random/hashing.hpp"
#include "prefline/schema/records.hpp"

namespace prefline::generate {

// A named system prompt (--system FILE); the unnamed one (name and text
// empty) sends no system message.
struct SystemVariant {
  std::string name;
  std::string text;
};

struct Cell {
  std::size_t model = 0;   // in Grid::models
  std::size_t system = 0;  // in Grid::systems
  double temperature = 0;
};

struct Grid {
  std::vector<llm::Endpoint> models;
  std::vector<SystemVariant> systems{SystemVariant{}};
  std::vector<double> temperatures{1.0};
  std::size_t samples = 1;

  // Model-major: for each model, each variant, each temperature.
  std::vector<Cell> cells() const {
    std::vector<Cell> cells;
    for (std::size_t m = 0; m < models.size(); ++m)
      for (std::size_t s = 0; s < systems.size(); ++s)
        for (double t : temperatures) cells.push_back({m, s, t});
    return cells;
  }
  std::size_t answers_per_prompt() const { return models.size() * systems.size() * temperatures.size() * samples; }
};

// The seed sent with a request: the low 31 bits (so that every server's
// seed type holds it) of XXH3-64, seeded with --seed, of
// "KEY\0MODEL\0SYSTEM\0TEMPERATURE\0SAMPLE\0TRY": KEY the prompt's key
// (16 hex digits), MODEL the endpoint's name, SYSTEM the variant's name,
// TEMPERATURE as written by {fmt} ("0.7"), SAMPLE from 0, TRY 0 for the
// first request and n for the n-th asked again (a rejected or duplicate
// reply).
inline std::uint64_t request_seed(std::uint64_t prompt_key, std::string_view model, std::string_view system,
                                  double temperature, std::size_t sample, int attempt, std::uint64_t seed) {
  const std::string material = fmt::format("{:016x}{}{}{}{}{}{}{}{}{}{}", prompt_key, '\0', model, '\0', system, '\0',
                                           temperature, '\0', sample, '\0', attempt);
  return stable_hash(material, seed) & 0x7fffffffULL;
}

// The custom_id of a request in a batch file: record number (from 1, over
// all inputs), model name, variant name ("-" for none), temperature and
// sample, e.g. "p12/gpt-4o/concise/t0.7/s3".
inline std::string custom_id(std::uint64_t record, const Grid& grid, const Cell& cell, std::size_t sample) {
  const std::string& system = grid.systems[cell.system].name;
  return fmt::format("p{}/{}/{}/t{}/s{}", record, grid.models[cell.model].name, system.empty() ? "-" : system,
                     cell.temperature, sample);
}

// A --system file: JSON Lines {"name": ..., "content": ...}, names unique
// and non-empty.
inline std::vector<SystemVariant> read_system_file(const std::string& path) {
  namespace field = schema::generation;
  simdjson::padded_string text;
  if (simdjson::padded_string::load(path).get(text)) throw UsageError(fmt::format("--system: cannot read '{}'", path));
  std::vector<SystemVariant> variants;
  simdjson::dom::parser parser;
  std::string_view rest(text.data(), text.size());
  for (std::uint64_t line = 1; !rest.empty(); ++line) {
    const std::size_t end = rest.find('\n');
    std::string_view row = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (row.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const std::string where = fmt::format("--system: {}:{}", path, line);
    simdjson::dom::element record;
    std::string_view name, content;
    if (parser.parse(row.data(), row.size()).get(record) || !record.is_object())
      throw UsageError(fmt::format("{}: not a JSON object; each line is {{\"name\": ..., \"content\": ...}}", where));
    if (record[field::name].get_string().get(name) || name.empty())
      throw UsageError(fmt::format("{}: 'name' must be a non-empty string", where));
    if (record[field::content].get_string().get(content))
      throw UsageError(fmt::format("{}: 'content' (the system prompt) must be a string", where));
    for (const auto& variant : variants)
      if (variant.name == name) throw UsageError(fmt::format("{}: the name '{}' is given twice", where, name));
    variants.push_back({std::string(name), std::string(content)});
  }
  if (variants.empty()) throw UsageError(fmt::format("--system: '{}' holds no system prompt", path));
  return variants;
}

}  // namespace prefline::generate
