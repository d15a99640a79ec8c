// One training example as export reads it from a pair record or an SFT
// example: the context (a prompt, or a conversation), the chosen and rejected
// answers (or the one response), the margin and the split it belongs to.
#pragma once

#include <string_view>
#include <vector>

#include "prefline/schema/records.hpp"

namespace prefline::trainer {

enum class Role { system, user, assistant };

struct Message {
  Role role;
  std::string_view content;
};

// Texts point into the parser's buffers: valid until the next record is
// parsed.
struct Example {
  std::vector<Message> context;
  bool from_messages = false;
  std::string_view chosen;  // the response of SFT formats
  std::string_view rejected;
  double margin = 0;
  std::string_view split;
};

// The role as chat messages name it ("system", "user", "assistant").
inline std::string_view role_name(Role role) {
  namespace chat = prefline::schema::chat;
  switch (role) {
    case Role::system: return chat::system;
    case Role::user: return chat::user;
    case Role::assistant: return chat::assistant;
  }
  return chat::user;
}

}  // namespace prefline::trainer
