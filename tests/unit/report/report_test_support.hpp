// Feeding JSON lines through the record scanner into a report builder, for
// the builder tests.
#pragma once

#include <string>
#include <string_view>

#include <simdjson.h>

#include "prefline/report/record_kind.hpp"

namespace prefline::report::testing {

class Feeder {
 public:
  explicit Feeder(std::string bucket_field = "bucket", std::vector<std::string> id_fields = {"id"})
      : scanner_(bucket_field, std::move(id_fields)) {}

  // Parses and scans `json`; the record stays valid until the next call.
  const Record& record(std::string_view json) {
    const simdjson::dom::element root = parser_.parse(json.data(), json.size()).value();
    const std::string reason = scanner_.scan(root.get_object().value(), record_);
    if (!reason.empty()) throw std::runtime_error(reason);
    return record_;
  }

 private:
  simdjson::dom::parser parser_;
  RecordScanner scanner_;
  Record record_;
};

}  // namespace prefline::report::testing
