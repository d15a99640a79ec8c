// A turn record as turns writes it: {<--keep fields>, <--id field>, "source":
// {"file", "line", "turn"[, "hash"]}, "messages": [the history], "reference": {the
// assistant message}, <--into field>}. Its source names where it was read, so
// it differs between one file and shards of it; the rest (its tie hash)
// orders turns of equal rank the same way in both.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/json/writer.hpp"
#include "prefline/random/hashing.hpp"
#include "prefline/turns/cutting.hpp"
#include "prefline/turns/layout.hpp"
#include "prefline/turns/trajectory.hpp"

namespace prefline::turns {

// Where a turn was read.
struct TurnSource {
  std::string_view file;
  std::uint64_t line = 0;
  std::int64_t turn = 0;
  std::optional<std::uint64_t> hash;  // --with-hash: the turn's rank
};

// Where the "source" member (its leading comma included) lies in a record.
struct SourceSpan {
  std::size_t begin = 0, end = 0;
};

// The hash that orders records of equal rank: XXH3-64 of the record without its source.
inline std::uint64_t tie_hash(std::string_view record, SourceSpan source) {
  return stable_hash(record.substr(0, source.begin), stable_hash(record.substr(source.end), 0));
}

class TurnRecordWriter {
 public:
  // `into` empty: no --join.
  TurnRecordWriter(const std::vector<std::string>& keep, std::string id_field, std::string into)
      : keep_(keep), id_field_(std::move(id_field)), into_(std::move(into)) {}

  // Writes the record of the assistant turn at message `at` of `trajectory`
  // to `record` (cleared first), with the history `kept` keeps (all of it
  // when null); `side_record` is the joined record's JSON (null: none).
  SourceSpan write(Buffer& record, simdjson::dom::object object, simdjson::dom::element id_value,
                   const TurnSource& source, const Trajectory& trajectory, std::size_t at, const Trimmed* kept,
                   const std::string* side_record) const {
    record.clear();
    JsonWriter json(record);
    json.begin_object();
    for (const std::string& field : keep_) {
      simdjson::dom::element value;
      if (object[field].get(value)) continue;
      json.key(field);
      write_dom_value(json, value);
    }
    json.key(id_field_);
    write_dom_value(json, id_value);
    SourceSpan span;
    span.begin = record.size();
    json.key("source").begin_object();
    json.key("file").string(source.file);
    json.key("line").integer(static_cast<std::int64_t>(source.line));
    json.key("turn").integer(source.turn);
    if (source.hash) json.key("hash").string(fmt::format("{:016x}", *source.hash));
    json.end_object();
    span.end = record.size();
    json.key("messages").begin_array();
    if (kept != nullptr) {
      for (std::size_t m : kept->kept) json.raw(trajectory.message(m));
    } else if (at > 0) {
      record.append(trajectory.prefix(at));
    }
    json.end_array();
    json.key("reference").raw(trajectory.message(at));
    if (!into_.empty()) {
      json.key(into_);
      if (side_record != nullptr) json.raw(*side_record);
      else json.null();
    }
    json.end_object();
    json.end_record();
    return span;
  }

 private:
  const std::vector<std::string>& keep_;
  std::string id_field_, into_;
};

}  // namespace prefline::turns
