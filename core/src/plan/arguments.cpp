#include "plan/arguments.hpp"

#include "json_model.hpp"
#include "ops.hpp"
#include "plan/plan.hpp"
#include "render/render.hpp"

namespace phone_handoff::plan {
namespace {

Settings settings_of(const Config& config) {
  Settings s;
  s.agent_workspace = config.sunshine.agent_workspace;
  s.own_integration = config.sunshine.integration;
  s.multi_conversations = config.sunshine.multi_conversations;
  s.user_external_id_prefix = config.sunshine.user_external_id_prefix;
  s.match_callers = config.match_callers;
  s.call_id_ticket_field = config.ticket_fields.call_id;
  return s;
}

}  // namespace

bool read_handoff_argument(const json_reader::Value& doc, Handoff& out, Errors& errors) {
  const json_reader::Value* inner = doc.is_object() && !doc.find("call_id") ? doc.find("handoff") : nullptr;
  const bool wrapped = inner && inner->is_object() && inner->find("call_id");
  if (!wrapped) return handoff_from_json(doc, out, errors);
  Errors own;
  const bool ok = handoff_from_json(*inner, out, own);
  for (FieldError& e : own) errors.push_back({"/handoff" + e.pointer, std::move(e.message)});
  return ok;
}

nlohmann::json progress_from_text(std::string_view text) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return nlohmann::json::object();
  nlohmann::json progress = nlohmann::json::parse(text, nullptr, false);
  if (progress.is_discarded())
    throw UsageError("bad_progress", "progress is not JSON text (pass \"{}\" before the first step)");
  return progress;
}

void write_plan_for(JsonWriter& out, Handoff&& handoff, const Config& config, const nlohmann::json& progress) {
  render::RenderOutput rendered = render::render_redacting(handoff, config);
  Rendered parts;
  parts.conversation = std::move(rendered.conversation);
  parts.messages = std::move(rendered.messages);
  parts.pass_control_metadata = std::move(rendered.pass_control_metadata);
  write_plan(out, handoff, settings_of(config), parts, progress);
}

}  // namespace phone_handoff::plan
