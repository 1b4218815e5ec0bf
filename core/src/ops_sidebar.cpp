// The sidebar area's operation: the call behind a Zendesk ticket, from its conversation.
#include "ops.hpp"
#include "sidebar/call_view.hpp"

namespace phone_handoff::ops {

// (ticket conversation[, config]) → {"isHandoff": …, "summary", "turns", "toolCalls", "stats"}.
std::string conversation(const Args& args) {
  const sidebar::SidebarConfig config =
      sidebar::sidebar_config_from_json(args.size() > 1 ? args[1] : std::string_view());
  return sidebar::build_call_view(args[0], config);
}

}  // namespace phone_handoff::ops
