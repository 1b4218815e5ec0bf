// Everything Zendesk receives for one handoff: tags, the conversation, the messages (summary
// first, then the transcript) and the passControl metadata that fills the ticket. Redaction
// runs first, per the config, so nothing here ever holds an unredacted card number.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config.hpp"
#include "json/writer.hpp"
#include "phone_handoff/model.hpp"
#include "redact.hpp"

namespace phone_handoff::render {

// Bytes of passControl metadata kept free for the planner's "first_message_id" (a 24-character
// Sunshine id: about 45 bytes with its key and punctuation).
constexpr size_t kFirstMessageIdReserve = 64;

struct RenderOutput {
  std::vector<std::string> tags;
  nlohmann::ordered_json conversation;                 // type, displayName, description, metadata
  std::vector<nlohmann::ordered_json> messages;        // Sunshine messagePost bodies, in order
  nlohmann::ordered_json pass_control_metadata;        // flat, ≤ 4 KB - kFirstMessageIdReserve
  RedactionCounts redactions;
  Errors warnings;                                     // pointers into the output
};

RenderOutput render_handoff(Handoff handoff, const Config& config);

// The same, redacting `handoff` where it is instead of a copy of it (for a caller that owns the
// handoff and needs only its redacted form afterwards: copying a 400-turn handoff was ~3 % of
// a deliver).
RenderOutput render_redacting(Handoff& handoff, const Config& config);

// {"tags", "conversation", "messages", "passControlMetadata", "redactions", "warnings"}
void write_render_output(JsonWriter& out, const RenderOutput& output);

}  // namespace phone_handoff::render
