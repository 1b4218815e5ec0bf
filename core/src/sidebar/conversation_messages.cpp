#include "sidebar/conversation_messages.hpp"

#include <initializer_list>

#include "json_model.hpp"
#include "sidebar/text_util.hpp"

namespace phone_handoff::sidebar {
namespace {

using json_reader::Kind;
using json_reader::Value;

// The first of `keys` the object has with a value other than null (null means absent).
const Value* find(const Value& object, std::initializer_list<std::string_view> keys) {
  for (std::string_view key : keys) {
    const Value* value = object.find(key);
    if (value && !value->is_null()) return value;
  }
  return nullptr;
}

std::string_view string_at(const Value& object, std::initializer_list<std::string_view> keys) {
  const Value* value = find(object, keys);
  return value && value->is_string() ? value->string() : std::string_view();
}

std::string fold_line_endings(std::string_view text) {
  if (text.find('\r') == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

// message.content may be a string, {"text": …} (Sunshine style) or absent in favour of text/body.
std::string_view message_text(const Value& entry) {
  if (const Value* message = find(entry, {"message"})) {
    if (message->is_string()) return message->string();
    if (const Value* content = find(*message, {"content", "text", "body"})) {
      if (content->is_string()) return content->string();
      return string_at(*content, {"text", "body"});
    }
  }
  if (const Value* content = find(entry, {"content"})) {
    if (content->is_string()) return content->string();
    return string_at(*content, {"text", "body"});
  }
  return string_at(entry, {"text", "body", "plain_body", "value"});
}

const Value* metadata_of(const Value& entry) {
  const Value* meta = find(entry, {"metadata"});
  if (!meta) {
    if (const Value* message = entry.find("message")) meta = find(*message, {"metadata"});
  }
  return meta && meta->is_object() ? meta : nullptr;
}

// An integer metadata value as a signed number (a huge unsigned one wraps, as it always has).
int64_t integer_of(const Value& value) {
  return value.kind() == Kind::integer ? value.integer() : static_cast<int64_t>(value.unsigned_integer());
}

bool is_integer(const Value& value) {
  return value.kind() == Kind::integer || value.kind() == Kind::unsigned_integer;
}

}  // namespace

std::string ConversationMessage::meta_string(std::string_view key) const {
  const Value* value = metadata ? metadata->find(key) : nullptr;
  if (!value) return "";
  if (value->is_string()) return std::string(value->string());
  if (is_integer(*value)) return std::to_string(integer_of(*value));
  return "";
}

std::optional<int64_t> ConversationMessage::meta_int(std::string_view key) const {
  const Value* value = metadata ? metadata->find(key) : nullptr;
  if (!value) return std::nullopt;
  if (is_integer(*value)) return integer_of(*value);
  if (value->kind() == Kind::floating) return static_cast<int64_t>(value->floating());
  if (!value->is_string()) return std::nullopt;
  return parse_digits(value->string(), 15);
}

bool ConversationMessage::authored_by_end_user() const {
  return role == "end-user" || role == "end_user" || role == "enduser" || role == "user" ||
         role == "appuser" || role == "customer" || role == "requester";
}

std::vector<ConversationMessage> read_conversation(const Value& input, Errors& errors) {
  const Value* list = &input;
  std::string base;
  if (input.is_object()) {
    list = nullptr;
    for (std::string_view key : {"ticket.conversation", "conversation", "messages"}) {
      list = input.find(key);
      if (!list) continue;
      base = pointer_append("", key);
      break;
    }
  }
  if (!list || !list->is_array()) {
    errors.push_back({base, "expected the array client.get('ticket.conversation') returns"});
    return {};
  }
  std::vector<ConversationMessage> out;
  out.reserve(list->size());
  size_t index = 0;
  for (const Value& entry : *list) {
    if (!entry.is_object()) {
      errors.push_back({pointer_append(base, index++), "a conversation message must be an object"});
      continue;
    }
    ++index;
    ConversationMessage m;
    if (const Value* author = find(entry, {"author", "sender"})) m.role = to_lower(string_at(*author, {"role", "type"}));
    if (m.role.empty()) m.role = to_lower(string_at(entry, {"role", "author_type", "authorType"}));
    m.text = fold_line_endings(message_text(entry));
    m.metadata = metadata_of(entry);
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace phone_handoff::sidebar
