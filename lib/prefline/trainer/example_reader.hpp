// Reading one pair record or SFT example into an Example for a trainer
// format: the fields the format needs, each checked (type, empty texts, the
// shape of a 'messages' conversation, the margin, the split), with the reason
// a record is bad written the way export reports it.
#pragma once

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "prefline/io/jsonl_reader.hpp"
#include "prefline/json/fields.hpp"
#include "prefline/json/validate.hpp"
#include "prefline/schema/records.hpp"
#include "prefline/trainer/example.hpp"
#include "prefline/trainer/format.hpp"
#include "prefline/trainer/split_name.hpp"

namespace prefline::trainer {

namespace pair_schema = prefline::schema::pair;
namespace sft_schema = prefline::schema::sft;
namespace chat = prefline::schema::chat;
namespace trainer_schema = prefline::schema::trainer;

namespace detail {

using json_type = simdjson::ondemand::json_type;

// Field names in messages are built only when a record is bad: `Name` is a
// callable giving the name ("chosen", "messages[2].content").
template <class Name>
inline std::string read_text(simdjson::ondemand::value value, std::string_view& text, const Name& name) {
  json_type type;
  if (auto error = value.type().get(type)) return prefline::json_error_reason(error);
  if (type != json_type::string) return fmt::format("'{}' must be a string, not {}", name(), prefline::json_type_name(type));
  if (auto error = value.get_string().get(text)) return prefline::json_error_reason(error);
  if (text.empty()) return fmt::format("'{}' is empty", name());
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return fmt::format("'{}' is only white space", name());
  return {};
}

inline auto named(std::string_view name) {
  return [name] { return name; };
}

inline std::string read_messages(simdjson::ondemand::value value, std::vector<Message>& messages) {
  json_type type;
  if (auto error = value.type().get(type)) return prefline::json_error_reason(error);
  if (type != json_type::array)
    return fmt::format("'{}' must be an array, not {}", sft_schema::messages, prefline::json_type_name(type));
  simdjson::ondemand::array array;
  if (auto error = value.get_array().get(array)) return prefline::json_error_reason(error);
  std::size_t index = 0;
  for (auto element : array) {
    const std::size_t at = index++;
    auto path = [at] { return fmt::format("{}[{}]", sft_schema::messages, at); };
    simdjson::ondemand::value item;
    if (auto error = element.get(item)) return prefline::json_error_reason(error);
    if (auto error = item.type().get(type)) return prefline::json_error_reason(error);
    if (type != json_type::object) return fmt::format("'{}' must be an object, not {}", path(), prefline::json_type_name(type));
    simdjson::ondemand::object object;
    if (auto error = item.get_object().get(object)) return prefline::json_error_reason(error);
    Message message{Role::user, {}};
    bool have_role = false, have_content = false;
    for (auto field : object) {
      std::string_view key;
      if (auto error = field.unescaped_key().get(key)) return prefline::json_error_reason(error);
      simdjson::ondemand::value part;
      if (auto error = field.value().get(part)) return prefline::json_error_reason(error);
      if (key == chat::role) {
        if (have_role) return fmt::format("'{}' has a duplicate key '{}'", path(), key);
        have_role = true;
        std::string_view role;
        if (auto error = part.type().get(type)) return prefline::json_error_reason(error);
        if (type != json_type::string || part.get_string().get(role))
          return fmt::format("'{}.{}' must be a string, not {}", path(), chat::role, prefline::json_type_name(type));
        if (role == chat::system) message.role = Role::system;
        else if (role == chat::user) message.role = Role::user;
        else if (role == chat::assistant) message.role = Role::assistant;
        else return fmt::format("'{}.{}' is '{}', not system, user or assistant", path(), chat::role, role);
      } else if (key == chat::content) {
        if (have_content) return fmt::format("'{}' has a duplicate key '{}'", path(), key);
        have_content = true;
        std::string reason =
            read_text(part, message.content, [&] { return fmt::format("{}.{}", path(), chat::content); });
        if (!reason.empty()) return reason;
      } else {
        return fmt::format("'{}' has key '{}': only '{}' and '{}' are exported", path(), key, chat::role, chat::content);
      }
    }
    if (!have_role) return fmt::format("missing '{}.{}'", path(), chat::role);
    if (!have_content) return fmt::format("missing '{}.{}'", path(), chat::content);
    if (message.role == Role::system && at > 0)
      return fmt::format("'{}' is a system message: only the first message may be one", path());
    messages.push_back(message);
  }
  if (messages.empty()) return fmt::format("'{}' is empty", sft_schema::messages);
  if (messages.back().role != Role::user)
    return fmt::format("'{}' must end with a user message (the one the response answers)", sft_schema::messages);
  return {};
}

inline std::string read_margin(simdjson::ondemand::value value, double& margin, bool& found) {
  json_type type;
  if (auto error = value.type().get(type)) return prefline::json_error_reason(error);
  if (type != json_type::object)
    return fmt::format("'{}' must be an object, not {}", pair_schema::metadata, prefline::json_type_name(type));
  simdjson::ondemand::object object;
  if (auto error = value.get_object().get(object)) return prefline::json_error_reason(error);
  auto what = [] { return fmt::format("{}.{}", pair_schema::metadata, pair_schema::score_difference); };
  for (auto field : object) {
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return prefline::json_error_reason(error);
    simdjson::ondemand::value part;
    if (auto error = field.value().get(part)) return prefline::json_error_reason(error);
    if (key != pair_schema::score_difference) {
      // not wanted: only make sure it is well-formed JSON
      if (auto error = prefline::check_value(part)) return prefline::json_error_reason(error);
      continue;
    }
    if (found) return fmt::format("'{}' has a duplicate key '{}'", pair_schema::metadata, key);
    found = true;
    if (auto error = part.type().get(type)) return prefline::json_error_reason(error);
    if (type != json_type::number)
      return fmt::format("'{}' must be a number, not {}", what(), prefline::json_type_name(type));
    if (part.get_double().get(margin) || !std::isfinite(margin)) return fmt::format("'{}' is not a valid number", what());
    if (margin < 0)
      return fmt::format("'{}' is {}: a margin must be 0 or more (the chosen side scores higher)", what(), margin);
    if (margin == 0) margin = 0;  // -0 is 0
  }
  return {};
}

}  // namespace detail

class ExampleReader {
 public:
  // `split_field`: the field naming each record's split (a dataset folder),
  // or nothing for one stream.
  ExampleReader(const Layout& layout, std::optional<std::string> split_field)
      : layout_(layout), split_field_(std::move(split_field)), picker_(wanted_fields()) {}

  // Whether the record last read has the split field (a dataset folder's).
  bool has_split_field() const { return split_field_ && picker_.seen(index_of(Field::split)); }

  // Parses one line into `example`; returns the reason when the record is bad.
  std::string read(simdjson::ondemand::parser& parser, const prefline::JsonlLine& line, Example& example) {
    simdjson::ondemand::document document;
    std::string reason = prefline::start_object(parser, line, document);
    if (!reason.empty()) return reason;
    simdjson::ondemand::object object;
    if (auto error = document.get_object().get(object)) return prefline::json_error_reason(error);

    example.context.clear();
    example.chosen = example.rejected = example.split = {};
    example.margin = 0;
    std::string_view prompt, response;
    bool have_metadata = false, have_margin = false;
    reason = picker_.pick(object, [&](std::size_t index, simdjson::ondemand::value value) -> std::string {
      switch (roles_[index]) {
        case Field::prompt: return detail::read_text(value, prompt, detail::named(pair_schema::prompt));
        case Field::messages: return detail::read_messages(value, example.context);
        case Field::chosen: return detail::read_text(value, example.chosen, detail::named(pair_schema::chosen));
        case Field::rejected: return detail::read_text(value, example.rejected, detail::named(pair_schema::rejected));
        case Field::response: return detail::read_text(value, response, detail::named(sft_schema::response));
        case Field::metadata:
          have_metadata = true;
          return detail::read_margin(value, example.margin, have_margin);
        case Field::split: return read_split(value, example.split);
      }
      return {};
    });
    if (!reason.empty()) return reason;
    if (!document.current_location().error()) return prefline::json_error_reason(simdjson::TRAILING_CONTENT);
    return check(example, prompt, response, have_metadata, have_margin);
  }

 private:
  enum class Field { prompt, messages, chosen, rejected, response, metadata, split };

  std::vector<std::string> wanted_fields() {
    std::vector<std::string> names;
    auto want = [&](std::string_view name, Field field) {
      names.emplace_back(name);
      roles_.push_back(field);
    };
    want(pair_schema::prompt, Field::prompt);
    want(sft_schema::messages, Field::messages);
    want(pair_schema::chosen, Field::chosen);
    if (layout_.format->preference) want(pair_schema::rejected, Field::rejected);
    else want(sft_schema::response, Field::response);
    if (layout_.margin) want(pair_schema::metadata, Field::metadata);
    if (split_field_) want(*split_field_, Field::split);
    return names;
  }

  std::string read_split(simdjson::ondemand::value value, std::string_view& split) {
    detail::json_type type;
    if (auto error = value.type().get(type)) return prefline::json_error_reason(error);
    if (type == detail::json_type::null) return {};
    if (type != detail::json_type::string)
      return fmt::format("split field '{}' must be a string, not {}", *split_field_, prefline::json_type_name(type));
    if (auto error = value.get_string().get(split)) return prefline::json_error_reason(error);
    if (!is_split_name(split))
      return fmt::format("split '{}' is not a split name (letters, digits and '_' in parts joined by '.', at most {} "
                         "characters)", split, max_split_name);
    return {};
  }

  std::string check(Example& example, std::string_view prompt, std::string_view response, bool have_metadata,
                    bool have_margin) const {
    const FormatInfo& format = *layout_.format;
    const bool have_prompt = picker_.seen(index_of(Field::prompt));
    example.from_messages = picker_.seen(index_of(Field::messages));
    if (have_prompt && example.from_messages)
      return fmt::format("has both '{}' and '{}': which one is the context?", pair_schema::prompt, sft_schema::messages);
    if (!have_prompt && !example.from_messages)
      return fmt::format("missing '{}' (or '{}')", pair_schema::prompt, sft_schema::messages);
    if (example.from_messages && !format.conversation)
      return fmt::format("format '{}' needs '{}' as a string: it has no form for a '{}' conversation", format.name,
                         pair_schema::prompt, sft_schema::messages);
    if (have_prompt) example.context.push_back({Role::user, prompt});

    const bool have_chosen = picker_.seen(index_of(Field::chosen));
    if (format.preference) {
      if (!have_chosen) return fmt::format("missing '{}'", pair_schema::chosen);
      if (!picker_.seen(index_of(Field::rejected))) return fmt::format("missing '{}'", pair_schema::rejected);
    } else {
      const bool have_response = picker_.seen(index_of(Field::response));
      if (have_response && have_chosen)
        return fmt::format("has both '{}' and '{}': which one is the response?", sft_schema::response,
                           pair_schema::chosen);
      if (!have_response && !have_chosen)
        return fmt::format("missing '{}' (or a pair record's '{}')", sft_schema::response, pair_schema::chosen);
      if (have_response) example.chosen = response;
    }
    if (layout_.margin) {
      if (!have_metadata)
        return fmt::format("missing '{}' (--margin reads {}.{})", pair_schema::metadata, pair_schema::metadata,
                           pair_schema::score_difference);
      if (!have_margin) return fmt::format("missing '{}.{}' (--margin)", pair_schema::metadata, pair_schema::score_difference);
    }
    if (layout_.system && example.context.front().role == Role::system)
      return fmt::format("'{}' already starts with a system message: --system would add a second",
                         sft_schema::messages);
    if (format.format == Format::hh_rlhf) {
      if (example.context.front().role == Role::system)
        return fmt::format("format 'hh-rlhf' has no system turn, and '{}[0]' is a system message", sft_schema::messages);
      std::string reason = check_transcript_text(example.chosen, detail::named(pair_schema::chosen));
      if (reason.empty()) reason = check_transcript_text(example.rejected, detail::named(pair_schema::rejected));
      for (std::size_t i = 0; i < example.context.size() && reason.empty(); ++i)
        reason = check_transcript_text(example.context[i].content, [&] {
          return example.from_messages ? fmt::format("{}[{}].{}", sft_schema::messages, i, chat::content)
                                       : std::string(pair_schema::prompt);
        });
      if (!reason.empty()) return reason;
    }
    return {};
  }

  // A turn marker inside a text would make the transcript split wrongly.
  template <class Name>
  static std::string check_transcript_text(std::string_view text, const Name& name) {
    for (std::string_view marker : {trainer_schema::hh_human, trainer_schema::hh_assistant}) {
      marker.remove_suffix(1);  // "\n\nHuman:" with or without the space
      if (text.find(marker) != std::string_view::npos)
        return fmt::format("'{}' holds '\\n\\n{}', which would break the hh-rlhf transcript", name(),
                           marker.substr(2));
    }
    return {};
  }

  std::size_t index_of(Field field) const {
    return static_cast<std::size_t>(std::find(roles_.begin(), roles_.end(), field) - roles_.begin());
  }

  const Layout& layout_;
  std::optional<std::string> split_field_;
  std::vector<Field> roles_;
  prefline::FieldPicker picker_;
};

}  // namespace prefline::trainer
