// The plan area's operation: which Sunshine Conversations / Zendesk Support requests deliver a
// handoff, given what is already done (docs/plan.md is the protocol the executor follows).
#include "config.hpp"
#include "json_model.hpp"
#include "ops.hpp"
#include "plan/plan.hpp"
#include "render/render.hpp"

namespace phone_handoff::ops {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

std::string errors_result(const std::string& pointer, const std::string& message) {
  return ordered_json{{"errors", ordered_json::array({{{"pointer", pointer}, {"message", message}}})}}.dump();
}

plan::Settings settings_of(const Config& config) {
  plan::Settings s;
  s.agent_workspace = config.sunshine.agent_workspace;
  s.own_integration = config.sunshine.integration;
  s.multi_conversations = config.sunshine.multi_conversations;
  s.user_external_id_prefix = config.sunshine.user_external_id_prefix;
  s.match_callers = config.match_callers;
  s.call_id_ticket_field = config.ticket_fields.call_id;
  return s;
}

// Absent or blank progress means "nothing done yet", like "{}" or "null". Progress is the
// executor's own record, so an unreadable one is a usage error (the executor must not guess and
// repeat requests), not a payload problem.
json progress_of(const Args& args) {
  if (args.size() < 3 || args[2].find_first_not_of(" \t\r\n") == std::string_view::npos) return json::object();
  const json progress = json::parse(args[2], nullptr, false);
  if (progress.is_discarded())
    throw UsageError("bad_progress", "progress is not JSON text (pass \"{}\" before the first step)");
  return progress;
}

}  // namespace

// (handoff[, config[, progress]]) → {"requests", "done", "resolved", "diagnostics"}, or
// {"errors": […]} when the handoff is not a valid canonical handoff.
std::string plan(const Args& args) {
  const Config config = config_from_json(args.size() > 1 ? args[1] : std::string_view());
  const json progress = progress_of(args);

  const json doc = json::parse(args[0], nullptr, false);
  if (doc.is_discarded()) return errors_result("", "the handoff is not JSON text");
  Handoff handoff;
  Errors errors;
  if (!handoff_from_json(doc, handoff, errors)) return ordered_json{{"errors", errors_to_json(errors)}}.dump();

  render::RenderOutput rendered = render::render_handoff(handoff, config);
  plan::Rendered parts;
  parts.conversation = std::move(rendered.conversation);
  parts.messages = std::move(rendered.messages);
  parts.pass_control_metadata = std::move(rendered.pass_control_metadata);
  return plan::make_plan(handoff, settings_of(config), parts, progress)
      .dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

}  // namespace phone_handoff::ops
