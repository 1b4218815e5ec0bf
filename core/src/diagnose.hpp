// diagnose(): what a support admin needs to fix in a sender so the rep gets a usable handoff.
// Each finding says what is wrong, why it matters to the rep, and what to change — or, for a
// platform event that carries no handoff (event_not_a_handoff), that there is nothing to change.
// Pointers are canonical-model pointers ("/handoff/summary") except for invalid_payload and
// event_not_a_handoff, whose pointer is the parse error's (into the posted document).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ingest.hpp"

namespace phone_handoff {

struct Finding {
  std::string code;
  std::string severity;  // "error" | "warning" | "info"
  std::string message;
  std::string pointer;   // empty = none
};

// Findings for one parse result of `source` (the source picks platform-specific advice).
std::vector<Finding> diagnose_parse(std::string_view source, const ParseResult& parsed);

// [{"code", "severity", "message", "pointer"?}, …]
nlohmann::ordered_json findings_to_json(const std::vector<Finding>& findings);

}  // namespace phone_handoff
