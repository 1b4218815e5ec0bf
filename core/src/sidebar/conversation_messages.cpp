#include "sidebar/conversation_messages.hpp"

#include <algorithm>
#include <cctype>

#include "json_model.hpp"
#include "time_util.hpp"

namespace phone_handoff::sidebar {
namespace {

using nlohmann::json;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

const json* find(const json& object, std::initializer_list<const char*> keys) {
  if (!object.is_object()) return nullptr;
  for (const char* key : keys) {
    auto it = object.find(key);
    if (it != object.end() && !it->is_null()) return &*it;
  }
  return nullptr;
}

std::string string_at(const json& object, std::initializer_list<const char*> keys) {
  const json* value = find(object, keys);
  return value && value->is_string() ? value->get<std::string>() : std::string();
}

std::string fold_line_endings(const std::string& text) {
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
std::string message_text(const json& entry) {
  if (const json* message = find(entry, {"message"})) {
    if (message->is_string()) return message->get<std::string>();
    if (const json* content = find(*message, {"content", "text", "body"})) {
      if (content->is_string()) return content->get<std::string>();
      return string_at(*content, {"text", "body"});
    }
  }
  if (const json* content = find(entry, {"content"})) {
    if (content->is_string()) return content->get<std::string>();
    return string_at(*content, {"text", "body"});
  }
  return string_at(entry, {"text", "body", "plain_body", "value"});
}

// ISO 8601 text, or a number: seconds when it is too small to be milliseconds since 1973.
std::optional<int64_t> timestamp(const json& entry) {
  const json* value = find(entry, {"timestamp", "created_at", "createdAt", "received"});
  if (!value && entry.contains("message")) value = find(entry["message"], {"timestamp", "received"});
  if (!value) return std::nullopt;
  if (value->is_string()) return parse_iso8601_ms(value->get<std::string>());
  if (value->is_number()) {
    const double n = value->get<double>();
    if (!(n >= 0 && n < 1e16)) return std::nullopt;
    return static_cast<int64_t>(n < 1e11 ? n * 1000 : n);
  }
  return std::nullopt;
}

json metadata_of(const json& entry) {
  const json* meta = find(entry, {"metadata"});
  if (!meta && entry.contains("message")) meta = find(entry["message"], {"metadata"});
  return meta && meta->is_object() ? *meta : json::object();
}

}  // namespace

std::string ConversationMessage::meta_string(const std::string& key) const {
  auto it = metadata.find(key);
  if (it == metadata.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  return "";
}

std::optional<int64_t> ConversationMessage::meta_int(const std::string& key) const {
  auto it = metadata.find(key);
  if (it == metadata.end()) return std::nullopt;
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_number_float()) return static_cast<int64_t>(it->get<double>());
  if (!it->is_string()) return std::nullopt;
  const std::string s = it->get<std::string>();
  if (s.empty() || s.size() > 15) return std::nullopt;
  int64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

bool ConversationMessage::authored_by_end_user() const {
  return role == "end-user" || role == "end_user" || role == "enduser" || role == "user" ||
         role == "appuser" || role == "customer" || role == "requester";
}

std::vector<ConversationMessage> read_conversation(const json& input, Errors& errors) {
  const json* list = &input;
  std::string base;
  if (input.is_object()) {
    list = nullptr;
    for (const char* key : {"ticket.conversation", "conversation", "messages"}) {
      auto it = input.find(key);
      if (it == input.end()) continue;
      list = &*it;
      base = pointer_append("", key);
      break;
    }
  }
  if (!list || !list->is_array()) {
    errors.push_back({base, "expected the array client.get('ticket.conversation') returns"});
    return {};
  }
  std::vector<ConversationMessage> out;
  for (size_t i = 0; i < list->size(); ++i) {
    const json& entry = (*list)[i];
    if (!entry.is_object()) {
      errors.push_back({pointer_append(base, i), "a conversation message must be an object"});
      continue;
    }
    ConversationMessage m;
    m.index = i;
    if (const json* author = find(entry, {"author", "sender"})) {
      m.role = lower(string_at(*author, {"role", "type"}));
      m.author_name = string_at(*author, {"name", "displayName", "display_name"});
    }
    if (m.role.empty()) m.role = lower(string_at(entry, {"role", "author_type", "authorType"}));
    m.text = fold_line_endings(message_text(entry));
    m.at_unix_ms = timestamp(entry);
    m.metadata = metadata_of(entry);
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace phone_handoff::sidebar
