#include "render/render.hpp"

#include "json_model.hpp"
#include "render/metadata.hpp"
#include "render/strings.hpp"
#include "render/summary.hpp"
#include "render/tags.hpp"
#include "render/transcript.hpp"
#include "render/utf8.hpp"

namespace phone_handoff::render {
namespace {

using ordered_json = nlohmann::ordered_json;

// Adds to `meta`, or records why not: ids are never cut (a cut id points nowhere), other text is
// cut to fit when at least some of it does.
void put(FlatMetadata& meta, const std::string& pointer_base, const std::string& key,
         const ordered_json& value, bool may_cut, Errors& warnings) {
  if (value.is_string() && value.get<std::string>().empty()) return;
  FlatMetadata::Outcome outcome = may_cut && value.is_string()
                                      ? meta.add_truncating(key, value.get<std::string>())
                                      : meta.add(key, value);
  if (outcome == FlatMetadata::Outcome::truncated)
    warnings.push_back({pointer_base + "/" + key, "shortened to fit the 4 KB metadata limit"});
  else if (outcome == FlatMetadata::Outcome::dropped)
    warnings.push_back({pointer_base + "/" + key, "does not fit the 4 KB metadata limit; left out"});
}

ordered_json conversation_of(const Handoff& h, const Config& config, Errors& warnings) {
  const std::string& loc = config.locale;
  const std::string who = one_line(h.caller.name.empty() ? caller_phone(h) : h.caller.name);
  const std::string title = who.empty() ? text(loc, Text::conversation_title_bare)
                                        : format(loc, Text::conversation_title, {who});
  std::string description = text(loc, mode_text(h.handoff.mode));
  if (h.handoff.reason.category) description += " \xC2\xB7 " + text(loc, reason_text(*h.handoff.reason.category));

  FlatMetadata meta;
  const std::string p = "/conversation/metadata";
  put(meta, p, "opencx_session_id", h.session_id, false, warnings);
  put(meta, p, "opencx_org_id", h.org_id, false, warnings);
  put(meta, p, "opencx_contact_id", h.contact_id, false, warnings);
  put(meta, p, "phone_handoff_call_id", h.call_id, false, warnings);
  put(meta, p, "phone_handoff_source", h.source, false, warnings);
  put(meta, p, "phone_handoff_mode", to_string(h.handoff.mode), false, warnings);
  return {{"type", "personal"},
          {"displayName", truncate_units(title, kDisplayNameLimit)},
          {"description", truncate_units(one_line(description), kDisplayNameLimit)},
          {"metadata", meta.json()}};
}

// "dataCapture.systemField.tags" takes one comma-separated string; when the tags do not all
// fit, whole tags are dropped from the end (the product's own tags come first).
std::string tags_value(const std::vector<std::string>& tags, size_t max_bytes, Errors& warnings) {
  std::string joined;
  for (size_t i = 0; i < tags.size(); ++i) {
    const size_t extra = tags[i].size() + (joined.empty() ? 0 : 1);
    if (joined.size() + extra > max_bytes) {
      warnings.push_back({"/passControlMetadata/dataCapture.systemField.tags",
                          std::to_string(tags.size() - i) + " tag(s) left out to fit the 4 KB metadata limit"});
      break;
    }
    if (!joined.empty()) joined += ',';
    joined += tags[i];
  }
  return joined;
}

std::string field_key(int64_t id) { return "dataCapture.ticketField." + std::to_string(id); }

ordered_json pass_control_of(const Handoff& h, const Config& config, const std::vector<std::string>& tags,
                             Errors& warnings) {
  FlatMetadata meta(kMetadataLimit - kFirstMessageIdReserve);
  const std::string p = "/passControlMetadata";
  const std::string tags_key = "dataCapture.systemField.tags";
  // Half the budget at most for tags, so the ticket fields always have room.
  put(meta, p, tags_key, tags_value(tags, meta.room() / 2, warnings), false, warnings);

  const TicketFields& f = config.ticket_fields;
  const HandoffDetails& d = h.handoff;
  auto field = [&](int64_t id, const ordered_json& value, bool may_cut) {
    if (id > 0) put(meta, p, field_key(id), value, may_cut, warnings);
  };
  field(f.session_id, h.session_id, false);
  field(f.call_id, h.call_id, false);
  field(f.org_id, h.org_id, false);
  field(f.contact_id, h.contact_id, false);
  field(f.mode, to_string(d.mode), false);
  if (d.reason.category) field(f.reason, to_string(*d.reason.category), false);
  if (d.sentiment) field(f.sentiment, to_string(*d.sentiment), false);
  if (d.follow_up.channel || !d.follow_up.address.empty()) {
    std::string v = d.follow_up.channel ? to_string(*d.follow_up.channel) : "";
    if (!d.follow_up.address.empty()) v += (v.empty() ? "" : ": ") + one_line(d.follow_up.address);
    field(f.follow_up, v, true);
  }
  for (const auto& [name, id] : f.custom) {
    auto it = h.custom_fields.find(name);
    if (it == h.custom_fields.end() || it->second.is_null()) continue;
    const auto& v = it->second;
    if (!v.is_string() && !v.is_number() && !v.is_boolean()) {
      warnings.push_back({p + "/" + field_key(id), "custom field '" + name + "' is not a string, number or boolean; left out"});
      continue;
    }
    field(id, ordered_json(v), true);
  }
  return meta.json();
}

}  // namespace

RenderOutput render_handoff(Handoff h, const Config& config) { return render_redacting(h, config); }

RenderOutput render_redacting(Handoff& h, const Config& config) {
  RenderOutput out;
  out.redactions = redact_handoff(h, config.redaction);
  out.tags = handoff_tags(h, config, out.warnings);
  out.conversation = conversation_of(h, config, out.warnings);
  out.messages.push_back(business_message(agent_display_name(h, config), summary_text(h, config, out.warnings),
                                          summary_metadata(h, config, out.warnings)));
  for (auto& m : transcript_messages(h, config, out.warnings)) out.messages.push_back(std::move(m));
  out.pass_control_metadata = pass_control_of(h, config, out.tags, out.warnings);
  return out;
}

void write_render_output(JsonWriter& out, const RenderOutput& o) {
  out.begin_object().key("tags").begin_array();
  for (const auto& tag : o.tags) out.value(tag);
  out.end_array().member("conversation", o.conversation).key("messages").begin_array();
  for (const auto& m : o.messages) out.value(m);
  out.end_array()
      .member("passControlMetadata", o.pass_control_metadata)
      .member("redactions", redaction_counts_to_json(o.redactions))
      .member("warnings", errors_to_json(o.warnings))
      .end_object();
}

}  // namespace phone_handoff::render
