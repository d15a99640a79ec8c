#pragma once
// Shared by the votes unit tests: options made into settings and a tally that
// reads vote records from JSON text, kept together because a Tally refers to
// both; and the text a writer puts in a buffer.
#include <string>
#include <string_view>
#include <utility>

#include <simdjson.h>

#include "prefline/json/writer.hpp"
#include "prefline/votes/settings.hpp"
#include "prefline/votes/tally.hpp"

namespace votes_test {

// --pairs with the texts in prompt, response_a and response_b.
inline prefline::votes::Options pair_options() {
  prefline::votes::Options options;
  options.pairs = true;
  options.prompt = "prompt";
  options.text_a = "response_a";
  options.text_b = "response_b";
  return options;
}

struct TallyRun {
  explicit TallyRun(prefline::votes::Options given)
      : options(std::move(given)), settings(prefline::votes::make_settings(options)), tally(options, settings) {}

  // Adds one vote record; returns why it is bad, or "" when it counted.
  std::string add(std::string_view json) {
    simdjson::dom::element record;
    if (parser.parse(json.data(), json.size()).get(record)) return "not JSON";
    return tally.add(record.get_object().value());
  }

  prefline::votes::Options options;
  prefline::votes::Settings settings;
  prefline::votes::Tally tally;
  simdjson::dom::parser parser;
};

inline std::string text_of(const prefline::Buffer& out) { return std::string(out.view()); }

}  // namespace votes_test
