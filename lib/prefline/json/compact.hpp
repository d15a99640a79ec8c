// A parsed JSON value written back as compact JSON text: no whitespace, key
// order kept, numbers byte for byte as in the input, strings re-escaped per
// RFC 8259 (so "\u00e9" comes out as "é" and "\/" as "/"). It walks the whole
// value, so it also checks it (simdjson ondemand checks scalars only when
// they are read).
#pragma once

#include <string_view>

#include <simdjson.h>

#include "prefline/json/fields.hpp"
#include "prefline/json/validate.hpp"
#include "prefline/json/writer.hpp"

namespace prefline {

// `depth` is the value's nesting level (1 for a top-level value); deeper than
// max_json_depth is an error, as with the DOM parser (and no stack overflow).
inline simdjson::error_code append_compact_json(Buffer& out, simdjson::ondemand::value value, std::size_t depth = 1) {
  simdjson::ondemand::json_type type;
  if (auto error = value.type().get(type)) return error;
  if ((type == simdjson::ondemand::json_type::object || type == simdjson::ondemand::json_type::array) &&
      depth > max_json_depth)
    return simdjson::DEPTH_ERROR;
  switch (type) {
    case simdjson::ondemand::json_type::object: {
      simdjson::ondemand::object object;
      if (auto error = value.get_object().get(object)) return error;
      out.push_back('{');
      bool first = true;
      for (auto result : object) {
        simdjson::ondemand::field field;
        if (auto error = std::move(result).get(field)) return error;
        std::string_view key;
        if (auto error = field.unescaped_key().get(key)) return error;
        if (!first) out.push_back(',');
        first = false;
        append_json_string(out, key);
        out.push_back(':');
        if (auto error = append_compact_json(out, field.value(), depth + 1)) return error;
      }
      out.push_back('}');
      return simdjson::SUCCESS;
    }
    case simdjson::ondemand::json_type::array: {
      simdjson::ondemand::array array;
      if (auto error = value.get_array().get(array)) return error;
      out.push_back('[');
      bool first = true;
      for (auto result : array) {
        simdjson::ondemand::value element;
        if (auto error = std::move(result).get(element)) return error;
        if (!first) out.push_back(',');
        first = false;
        if (auto error = append_compact_json(out, element, depth + 1)) return error;
      }
      out.push_back(']');
      return simdjson::SUCCESS;
    }
    case simdjson::ondemand::json_type::string: {
      std::string_view text;
      if (auto error = value.get_string().get(text)) return error;
      append_json_string(out, text);
      return simdjson::SUCCESS;
    }
    default: {
      // Numbers, true, false, null: raw_value() checks the token.
      std::string_view raw;
      if (auto error = raw_value(value, raw)) return error;
      out.append(raw);
      return simdjson::SUCCESS;
    }
  }
}

}  // namespace prefline
