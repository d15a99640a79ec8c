// The three kinds of record a report covers (judged turns, pair records, item
// records): telling them apart by their fields, and finding in one pass over
// a record the top-level fields any kind reads, so that a key given twice is
// a bad record rather than a silent choice.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/schema/records.hpp"

namespace prefline::report {

enum class Kind { judged, pairs, items };

// "judged turns" (plural) or "judged turn".
inline std::string_view kind_name(Kind kind, bool plural = true) {
  switch (kind) {
    case Kind::judged: return plural ? "judged turns" : "judged turn";
    case Kind::pairs: return plural ? "pair records" : "pair record";
    case Kind::items: return plural ? "item records" : "item record";
  }
  return "";
}

// "a judged turn", for messages about one record.
inline std::string_view kind_one(Kind kind) {
  switch (kind) {
    case Kind::judged: return "a judged turn";
    case Kind::pairs: return "a pair record";
    case Kind::items: return "an item record";
  }
  return "";
}

// The top-level fields of one record that any kind reads (views into the
// parser's memory, valid until the next record is parsed).
struct Record {
  using element = simdjson::dom::element;
  std::optional<element> duel, metadata, chosen, rejected, scores, vote_count, overall, flags, raters, bucket;
  std::vector<std::optional<element>> ids;                       // the --id fields
  std::vector<std::pair<std::string_view, element>> key_fields;  // the fields before 'scores' (an item's key)
};

class RecordScanner {
 public:
  RecordScanner(const std::string& bucket_field, std::vector<std::string> id_fields) : id_fields_(std::move(id_fields)) {
    namespace duel = schema::duel;
    namespace pair = schema::pair;
    namespace item = schema::item;
    slots_ = {{std::string(duel::duel), &Record::duel},           {std::string(pair::metadata), &Record::metadata},
              {std::string(pair::chosen), &Record::chosen},       {std::string(pair::rejected), &Record::rejected},
              {std::string(item::scores), &Record::scores},       {std::string(item::vote_count), &Record::vote_count},
              {std::string(item::overall), &Record::overall},     {std::string(item::flags), &Record::flags},
              {std::string(item::raters), &Record::raters},       {bucket_field, &Record::bucket}};
  }

  // Fills `record` from `object`; returns the reason when the record is bad.
  std::string scan(const simdjson::dom::object& object, Record& record) const {
    for (const auto& slot : slots_) (record.*slot.second).reset();
    record.ids.assign(id_fields_.size(), std::nullopt);
    record.key_fields.clear();
    bool before_scores = true;
    for (auto [key, value] : object) {
      for (const auto& slot : slots_) {
        if (slot.first != key) continue;
        std::optional<Record::element>& field = record.*slot.second;
        if (field) return fmt::format("duplicate key '{}'", key);
        field = value;
      }
      for (std::size_t i = 0; i < id_fields_.size(); ++i) {
        if (id_fields_[i] != key) continue;
        if (record.ids[i]) return fmt::format("duplicate key '{}'", key);
        record.ids[i] = value;
      }
      if (key == schema::item::scores) before_scores = false;
      if (before_scores) record.key_fields.emplace_back(key, value);
    }
    return {};
  }

 private:
  std::vector<std::pair<std::string, std::optional<Record::element> Record::*>> slots_;
  std::vector<std::string> id_fields_;
};

// The kind a record's fields say: 'duel' -> judged; 'metadata' + 'chosen' +
// 'rejected' -> pairs; 'scores' + 'vote_count' -> items; in that order.
inline std::optional<Kind> detect(const Record& record) {
  if (record.duel) return Kind::judged;
  if (record.metadata && record.chosen && record.rejected) return Kind::pairs;
  if (record.scores && record.vote_count) return Kind::items;
  return std::nullopt;
}

// Why a record is not of `kind` (empty when it is).
inline std::string missing_fields(const Record& record, Kind kind) {
  switch (kind) {
    case Kind::judged:
      if (!record.duel) return fmt::format("not a judged turn: no '{}' field", schema::duel::duel);
      break;
    case Kind::pairs:
      if (!record.metadata || !record.chosen || !record.rejected)
        return fmt::format("not a pair record: needs '{}', '{}' and '{}'", schema::pair::metadata, schema::pair::chosen,
                           schema::pair::rejected);
      break;
    case Kind::items:
      if (!record.scores || !record.vote_count)
        return fmt::format("not an item record: needs '{}' and '{}'", schema::item::scores, schema::item::vote_count);
      break;
  }
  return {};
}

// The kind of a scanned record, into `kind`; returns the reason when the
// record is bad. With `wanted` (--kind) a record must have that kind's fields;
// without, its kind is detected and must be that of the report so far
// (`report_kind`, fixed by the first valid record at FILE:LINE `first_record`).
inline std::string record_kind(const Record& record, std::optional<Kind> wanted, std::optional<Kind> report_kind,
                               std::string_view first_record, Kind& kind) {
  if (wanted) {
    kind = *wanted;
    return missing_fields(record, *wanted);
  }
  const std::optional<Kind> detected = detect(record);
  if (!detected)
    return fmt::format("not a judged turn ('{}'), a pair record ('{}', '{}', '{}') or an item record ('{}', '{}')",
                       schema::duel::duel, schema::pair::metadata, schema::pair::chosen, schema::pair::rejected,
                       schema::item::scores, schema::item::vote_count);
  if (report_kind && *detected != *report_kind)
    return fmt::format("{} among {} (the first valid record, {}, set the kind; one report covers one kind: see "
                       "--kind)",
                       kind_one(*detected), kind_name(*report_kind), first_record);
  kind = *detected;
  return {};
}

}  // namespace prefline::report
