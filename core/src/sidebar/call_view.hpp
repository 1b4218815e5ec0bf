// The call behind a ticket, as the sidebar shows it: the summary card, the re-joined transcript,
// tool calls and talk-time figures, built from the ticket's conversation messages.
#pragma once

#include <string>
#include <string_view>

namespace phone_handoff::sidebar {

struct SidebarConfig {
  std::string tag_prefix = "opencx";
  std::string session_id;             // from the ticket's session id custom field, if any
  std::string call_id;                // from the ticket's call id field: which call to show
  std::string session_url_template;   // "https://…/{session_id}", used when the summary has no link
  std::string requester_name, requester_email;
};

// Reads the camelCase config JSON ("" means defaults). Throws UsageError("bad_config", …).
SidebarConfig sidebar_config_from_json(std::string_view text);

// `conversation` is the ticket conversation JSON text; returns the call view as JSON text. Never
// throws for bad payloads: a payload that is not a conversation gives
// {"isHandoff": false, "errors": […]}.
std::string build_call_view(std::string_view conversation, const SidebarConfig& config);

}  // namespace phone_handoff::sidebar
