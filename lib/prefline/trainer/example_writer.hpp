// Writing one Example as a line of a trainer format: the keys of the layout
// in order, hh-rlhf's transcripts built from the context, the system message
// and the margin when the layout has them.
#pragma once

#include <string>
#include <string_view>

#include "prefline/json/writer.hpp"
#include "prefline/schema/records.hpp"
#include "prefline/trainer/example.hpp"
#include "prefline/trainer/format.hpp"

namespace prefline::trainer {

namespace pair_schema = prefline::schema::pair;
namespace chat = prefline::schema::chat;
namespace trainer_schema = prefline::schema::trainer;

namespace detail {

inline std::string_view sharegpt_from(Role role) {
  switch (role) {
    case Role::system: return trainer_schema::sharegpt_system;
    case Role::user: return trainer_schema::sharegpt_human;
    case Role::assistant: return trainer_schema::sharegpt_gpt;
  }
  return trainer_schema::sharegpt_human;
}

}  // namespace detail

class ExampleWriter {
 public:
  explicit ExampleWriter(const Layout& layout) : layout_(layout) {}

  void write(prefline::Buffer& out, const Example& example) {
    prefline::JsonWriter json(out);
    json.begin_object();
    switch (layout_.format->format) {
      case Format::trl:
        json.key(pair_schema::prompt).string(example.context.front().content);
        json.key(pair_schema::chosen).string(example.chosen);
        json.key(pair_schema::rejected).string(example.rejected);
        if (layout_.margin) json.key(trainer_schema::margin).number(example.margin);
        break;
      case Format::trl_chat:
        json.key(pair_schema::prompt).begin_array();
        write_context(json, example);
        json.end_array();
        json.key(pair_schema::chosen).begin_array();
        message(json, chat::assistant, example.chosen);
        json.end_array();
        json.key(pair_schema::rejected).begin_array();
        message(json, chat::assistant, example.rejected);
        json.end_array();
        if (layout_.margin) json.key(trainer_schema::margin).number(example.margin);
        break;
      case Format::hh_rlhf: {
        transcript_.clear();
        for (const Message& turn : example.context) {
          transcript_ += turn.role == Role::user ? trainer_schema::hh_human : trainer_schema::hh_assistant;
          transcript_ += turn.content;
        }
        transcript_ += trainer_schema::hh_assistant;
        const std::size_t shared = transcript_.size();
        transcript_ += example.chosen;
        json.key(pair_schema::chosen).string(transcript_);
        transcript_.resize(shared);
        transcript_ += example.rejected;
        json.key(pair_schema::rejected).string(transcript_);
        break;
      }
      case Format::openai_dpo:
        json.key(trainer_schema::input).begin_object();
        json.key(trainer_schema::messages).begin_array();
        write_context(json, example);
        json.end_array();
        json.end_object();
        json.key(trainer_schema::preferred_output).begin_array();
        message(json, chat::assistant, example.chosen);
        json.end_array();
        json.key(trainer_schema::non_preferred_output).begin_array();
        message(json, chat::assistant, example.rejected);
        json.end_array();
        break;
      case Format::openai_sft:
        json.key(trainer_schema::messages).begin_array();
        write_context(json, example);
        message(json, chat::assistant, example.chosen);
        json.end_array();
        break;
      case Format::alpaca:
        json.key(trainer_schema::instruction).string(example.context.front().content);
        json.key(trainer_schema::alpaca_input).string("");
        json.key(trainer_schema::output).string(example.chosen);
        break;
      case Format::sharegpt:
        json.key(trainer_schema::conversations).begin_array();
        if (layout_.system) turn(json, trainer_schema::sharegpt_system, *layout_.system);
        for (const Message& message : example.context) turn(json, detail::sharegpt_from(message.role), message.content);
        turn(json, trainer_schema::sharegpt_gpt, example.chosen);
        json.end_array();
        break;
    }
    json.end_object();
    json.end_record();
  }

 private:
  static void message(prefline::JsonWriter& json, std::string_view role, std::string_view content) {
    json.begin_object().key(chat::role).string(role).key(chat::content).string(content).end_object();
  }
  static void turn(prefline::JsonWriter& json, std::string_view from, std::string_view value) {
    json.begin_object().key(trainer_schema::from).string(from).key(trainer_schema::value).string(value).end_object();
  }
  void write_context(prefline::JsonWriter& json, const Example& example) const {
    if (layout_.system) message(json, chat::system, *layout_.system);
    for (const Message& turn : example.context) message(json, role_name(turn.role), turn.content);
  }

  const Layout& layout_;
  std::string transcript_;  // hh-rlhf, reused
};

}  // namespace prefline::trainer
