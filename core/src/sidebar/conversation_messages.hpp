// Reads what ZAF's client.get('ticket.conversation') returns into one plain shape. The SDK's
// message objects have changed over time and differ between chat, messaging and the REST
// conversation log, so every known spelling is accepted here and nowhere else.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json/reader.hpp"
#include "phone_handoff/model.hpp"

namespace phone_handoff::sidebar {

struct ConversationMessage {
  std::string role;                      // author role/type, lower case ("" when absent)
  std::string text;                      // plain text with "\r\n" folded to "\n"
  // Flat keys, or nullptr when the message has none. Points into the document the message was
  // read from, which must outlive it (the sidebar reads a conversation in one call).
  const json_reader::Value* metadata = nullptr;

  // Metadata accessors tolerate numbers written as strings and strings written as numbers,
  // because Zendesk may re-serialise message metadata on its way to the sidebar.
  std::string meta_string(std::string_view key) const;
  std::optional<int64_t> meta_int(std::string_view key) const;

  // End users can type anything, including text that looks like our transcript format: only
  // business/agent/system-authored messages are recognised by their text alone.
  bool authored_by_end_user() const;
};

// Accepts the array itself, the ZAF reply object {"ticket.conversation": […]}, or
// {"conversation": […]} / {"messages": […]}. Entries that are not objects are reported in
// `errors` (pointer + message) and skipped; nothing else is fatal.
std::vector<ConversationMessage> read_conversation(const json_reader::Value& input, Errors& errors);

}  // namespace phone_handoff::sidebar
