// Reads the handoff summary back from the message render posted. Render writes "Label: value"
// lines; the reader matches labels loosely (case, punctuation, markdown bullets and bold, common
// synonyms) so a wording change on the writing side degrades one field, not the whole card.
// Structured message metadata, when present, wins over the text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sidebar/conversation_messages.hpp"

namespace phone_handoff::sidebar {

struct SummaryView {
  std::string asked_for, unresolved, mode, destination;
  std::string reason;            // as written for people ("The AI lacked a tool it needed")
  std::string reason_category;   // canonical, from metadata ("missing_tools")
  std::string follow_up_channel, follow_up_address;
  std::string caller_name, caller_phone, caller_email;
  std::string started_at;        // ISO 8601 UTC when the text parses as a date-time, else as written
  std::optional<int64_t> duration_seconds;
  std::string sentiment;
  std::string session_url, recording_url;   // http(s) only
  std::string session_id, call_id;
  std::string text;              // prose lines no label claimed (the AI's summary)
};

// Returns how many labelled lines were recognised (a message with fewer than two is not a summary).
int read_summary_text(const std::string& text, SummaryView& out);

// Overlays the flat metadata keys render may attach (phone_handoff_*, <tagPrefix>_session_id).
void read_summary_metadata(const ConversationMessage& message, const std::string& tag_prefix, SummaryView& out);

// True when the fields read are specific to a handoff summary (not just any "Name: x" text).
bool looks_like_summary(int recognised, const SummaryView& view);

// "3:25", "1:02:03", "205", "205s", "3m 25s", "3 min 25 sec", "1h 2m" → seconds.
std::optional<int64_t> parse_duration_seconds(const std::string& text);

// "live transfer", "Live_Transfer", "Logged escalation (callback)" → the canonical mode or "".
std::string canonical_mode(const std::string& text);

}  // namespace phone_handoff::sidebar
