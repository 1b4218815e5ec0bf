// The render/plan configuration (camelCase JSON, docs/zendesk-output.md § Configuration). One
// reader for every operation that takes it, so "bad config" means the same thing everywhere.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "phone_handoff/model.hpp"

namespace phone_handoff {

enum class TranscriptStyle { packed, per_turn };

// Zendesk ticket field ids (0 = not configured).
struct TicketFields {
  int64_t session_id = 0, call_id = 0, org_id = 0, contact_id = 0;
  int64_t reason = 0, mode = 0, sentiment = 0, follow_up = 0;
  std::map<std::string, int64_t> custom;   // custom_fields name → ticket field id
};

struct RedactionSettings {
  bool cards = true;
  bool card_security_codes = true;   // also covers expiry dates spoken near a card
  bool ssn = true;
};

struct AgentSettings {
  std::string display_name;
  std::string transfer_number;
  std::optional<FollowUpChannel> follow_up_channel;
};

struct SunshineSettings {
  std::string agent_workspace = "zd-agentWorkspace";
  std::string integration = "phone-handoff";
  bool multi_conversations = true;
  std::string user_external_id_prefix = "phone:";
};

struct Config {
  // Declared here, defined (defaulted) in config.cpp: with the implicit inline constructor GCC 12
  // warns -Wmaybe-uninitialized inside std::map's destructor for every temporary Config{} in an
  // optimised build (a false positive; out of line, the analysis never sees it).
  Config();

  std::string tag_prefix = "opencx";
  std::vector<std::string> extra_tags;       // as given; render sanitizes them
  std::string locale = "en";
  TranscriptStyle transcript_style = TranscriptStyle::packed;
  std::string ai_display_name = "AI agent";
  std::string session_url_template;          // "" = none; {session_id} and {call_id} placeholders
  TicketFields ticket_fields;
  RedactionSettings redaction;
  std::map<std::string, AgentSettings> agents;   // by agent id
  SunshineSettings sunshine;
  bool match_callers = false;                // needs Support API credentials, so opt-in
};

// Reads the configuration JSON. Empty (or all-whitespace) text and `null` mean "all defaults";
// unknown keys are ignored (so newer configs work with older cores); a known key with a wrong
// value throws UsageError("bad_config", "<key path>: <what is expected>").
Config config_from_json(std::string_view text);

}  // namespace phone_handoff
