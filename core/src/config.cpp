#include "config.hpp"

#include <cctype>

#include <nlohmann/json.hpp>

#include "ops.hpp"

namespace phone_handoff {
namespace {

using json = nlohmann::json;

[[noreturn]] void bad(const std::string& key, const std::string& expected) {
  throw UsageError("bad_config", key + ": " + expected);
}

// Each reader leaves `out` alone when the key is absent or null (null means "use the default").
const json* member(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

void read_bool(const json& object, const char* key, const std::string& path, bool& out) {
  if (const json* v = member(object, key)) {
    if (!v->is_boolean()) bad(path, "expected true or false");
    out = v->get<bool>();
  }
}

void read_string(const json& object, const char* key, const std::string& path, std::string& out,
                 bool allow_empty = true) {
  if (const json* v = member(object, key)) {
    if (!v->is_string()) bad(path, "expected a string");
    std::string s = v->get<std::string>();
    if (!allow_empty && s.empty()) bad(path, "expected a non-empty string");
    out = std::move(s);
  }
}

const json* read_object(const json& object, const char* key, const std::string& path) {
  const json* v = member(object, key);
  if (v && !v->is_object()) bad(path, "expected an object");
  return v;
}

int64_t field_id(const json& v, const std::string& path) {
  const char* expected = "expected a Zendesk ticket field id (a whole number, 0 = not configured)";
  if (v.is_number_unsigned()) {
    if (v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) bad(path, expected);
    return static_cast<int64_t>(v.get<uint64_t>());
  }
  if (v.is_number_integer() && v.get<int64_t>() >= 0) return v.get<int64_t>();
  bad(path, expected);
}

void read_field_id(const json& object, const char* key, const std::string& path, int64_t& out) {
  if (const json* v = member(object, key)) out = field_id(*v, path);
}

bool is_tag_prefix(const std::string& s) {
  if (s.empty() || s.size() > 40) return false;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (!std::isalnum(u) && c != '_' && c != '-') return false;
  }
  return true;
}

bool starts_with_http(const std::string& s) {
  std::string head;
  for (size_t i = 0; i < s.size() && i < 8; ++i) head += static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
  return head.rfind("http://", 0) == 0 || head.rfind("https://", 0) == 0;
}

std::optional<FollowUpChannel> follow_up_channel(const std::string& s) {
  if (s == "email") return FollowUpChannel::email;
  if (s == "sms") return FollowUpChannel::sms;
  if (s == "callback") return FollowUpChannel::callback;
  return std::nullopt;
}

void read_ticket_fields(const json& object, TicketFields& out) {
  const std::string p = "ticketFields.";
  read_field_id(object, "session_id", p + "session_id", out.session_id);
  read_field_id(object, "call_id", p + "call_id", out.call_id);
  read_field_id(object, "org_id", p + "org_id", out.org_id);
  read_field_id(object, "contact_id", p + "contact_id", out.contact_id);
  read_field_id(object, "reason", p + "reason", out.reason);
  read_field_id(object, "mode", p + "mode", out.mode);
  read_field_id(object, "sentiment", p + "sentiment", out.sentiment);
  read_field_id(object, "follow_up", p + "follow_up", out.follow_up);
  if (const json* custom = read_object(object, "custom", p + "custom")) {
    for (const auto& [name, id] : custom->items()) {
      if (id.is_null()) continue;
      out.custom[name] = field_id(id, p + "custom." + name);
    }
  }
}

void read_redaction(const json& v, RedactionSettings& out) {
  if (v.is_boolean()) {   // one switch for every category
    const bool on = v.get<bool>();
    out = RedactionSettings{on, on, on};
    return;
  }
  if (!v.is_object()) bad("redaction", "expected true, false or {\"cards\",\"cardSecurityCodes\",\"ssn\"} booleans");
  read_bool(v, "cards", "redaction.cards", out.cards);
  read_bool(v, "cardSecurityCodes", "redaction.cardSecurityCodes", out.card_security_codes);
  read_bool(v, "ssn", "redaction.ssn", out.ssn);
}

void read_agents(const json& object, std::map<std::string, AgentSettings>& out) {
  for (const auto& [id, entry] : object.items()) {
    const std::string p = "agents." + id;
    if (entry.is_null()) continue;
    if (!entry.is_object()) bad(p, "expected an object");
    AgentSettings agent;
    read_string(entry, "displayName", p + ".displayName", agent.display_name);
    read_string(entry, "transferNumber", p + ".transferNumber", agent.transfer_number);
    std::string channel;
    read_string(entry, "followUpChannel", p + ".followUpChannel", channel);
    if (!channel.empty()) {
      agent.follow_up_channel = follow_up_channel(channel);
      if (!agent.follow_up_channel) bad(p + ".followUpChannel", "expected \"email\", \"sms\" or \"callback\"");
    }
    out[id] = std::move(agent);
  }
}

void read_sunshine(const json& object, SunshineSettings& out) {
  read_string(object, "agentWorkspace", "sunshine.agentWorkspace", out.agent_workspace, false);
  read_string(object, "integration", "sunshine.integration", out.integration, false);
  read_bool(object, "multiConversations", "sunshine.multiConversations", out.multi_conversations);
  read_string(object, "userExternalIdPrefix", "sunshine.userExternalIdPrefix", out.user_external_id_prefix);
}

}  // namespace

Config::Config() = default;

Config config_from_json(std::string_view text) {
  Config config;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return config;
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) bad("config", "expected JSON text (this is not valid JSON)");
  if (doc.is_null()) return config;
  if (!doc.is_object()) bad("config", "expected a JSON object");

  if (const json* v = member(doc, "tagPrefix")) {
    if (!v->is_string() || !is_tag_prefix(v->get<std::string>()))
      bad("tagPrefix", "expected 1-40 letters, digits, '_' or '-'");
    config.tag_prefix.clear();
    for (char c : v->get<std::string>()) config.tag_prefix += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (const json* v = member(doc, "extraTags")) {
    if (!v->is_array()) bad("extraTags", "expected an array of strings");
    for (const json& tag : *v) {
      if (!tag.is_string()) bad("extraTags", "expected an array of strings");
      config.extra_tags.push_back(tag.get<std::string>());
    }
  }
  read_string(doc, "locale", "locale", config.locale, false);
  if (const json* v = member(doc, "transcriptStyle")) {
    const std::string style = v->is_string() ? v->get<std::string>() : "";
    if (style == "packed") config.transcript_style = TranscriptStyle::packed;
    else if (style == "per-turn") config.transcript_style = TranscriptStyle::per_turn;
    else bad("transcriptStyle", "expected \"packed\" or \"per-turn\"");
  }
  read_string(doc, "aiDisplayName", "aiDisplayName", config.ai_display_name, false);
  read_string(doc, "sessionUrlTemplate", "sessionUrlTemplate", config.session_url_template);
  if (!config.session_url_template.empty() && !starts_with_http(config.session_url_template))
    bad("sessionUrlTemplate", "expected an http:// or https:// URL template");
  if (const json* v = read_object(doc, "ticketFields", "ticketFields")) read_ticket_fields(*v, config.ticket_fields);
  if (const json* v = member(doc, "redaction")) read_redaction(*v, config.redaction);
  if (const json* v = read_object(doc, "agents", "agents")) read_agents(*v, config.agents);
  if (const json* v = read_object(doc, "sunshine", "sunshine")) read_sunshine(*v, config.sunshine);
  read_bool(doc, "matchCallers", "matchCallers", config.match_callers);
  return config;
}

}  // namespace phone_handoff
