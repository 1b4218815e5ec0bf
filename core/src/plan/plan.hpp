// The Sunshine plan: which Sunshine Conversations (and Zendesk Support) requests deliver one
// handoff, given what the executor has already done (its "progress"). Pure: no I/O, no clock;
// the same inputs always give the same plan, byte for byte. docs/plan.md is the protocol the
// executor follows; every step there is justified from the references.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "json/writer.hpp"
#include "phone_handoff/model.hpp"

namespace phone_handoff::plan {

// The slice of the render/plan configuration the plan needs (filled from Config by ops_plan.cpp,
// so this area does not depend on the rest of Config's shape).
struct Settings {
  std::string agent_workspace = "zd-agentWorkspace";  // switchboard integration that opens tickets
  std::string own_integration;                        // ours; "" = not configured
  bool multi_conversations = true;
  std::string user_external_id_prefix = "phone:";
  bool match_callers = false;
  int64_t call_id_ticket_field = 0;                   // 0 = not configured
};

// What render produced for the handoff: the parts the plan sends as they are.
struct Rendered {
  nlohmann::ordered_json conversation = nlohmann::ordered_json::object();  // displayName, description, metadata
  std::vector<nlohmann::ordered_json> messages;                            // messagePost bodies, in order
  nlohmann::ordered_json pass_control_metadata = nlohmann::ordered_json::object();  // flat
};

// Writes {"requests": […], "done": bool, "resolved": {…}, "diagnostics": […]}. Throws UsageError
// ("bad_progress") when progress is not what the protocol writes.
void write_plan(JsonWriter& out, const Handoff& handoff, const Settings& settings, const Rendered& rendered,
                const nlohmann::json& progress);

// The same plan as a DOM, for callers that inspect it (tests); the operations write text.
nlohmann::ordered_json make_plan(const Handoff& handoff, const Settings& settings,
                                 const Rendered& rendered, const nlohmann::json& progress);

}  // namespace phone_handoff::plan
