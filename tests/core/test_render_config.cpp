#include <catch2/catch.hpp>

#include "config.hpp"
#include "ops.hpp"

using namespace phone_handoff;

namespace {
// The message of the UsageError the text raises ("" when it parses).
std::string config_error(std::string_view text) {
  try {
    config_from_json(text);
  } catch (const UsageError& e) {
    CHECK(e.code == "bad_config");
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("config: empty text, whitespace and null give the defaults", "[render]") {
  for (std::string_view text : {"", "  \n", "null", "{}"}) {
    const Config c = config_from_json(text);
    CHECK(c.tag_prefix == "opencx");
    CHECK(c.locale == "en");
    CHECK(c.transcript_style == TranscriptStyle::packed);
    CHECK(c.ai_display_name == "AI agent");
    CHECK(c.redaction.cards);
    CHECK(c.redaction.card_security_codes);
    CHECK(c.redaction.ssn);
    CHECK(c.sunshine.agent_workspace == "zd-agentWorkspace");
    CHECK(c.sunshine.user_external_id_prefix == "phone:");
    CHECK(c.ticket_fields.session_id == 0);
  }
}

TEST_CASE("config: the briefing's full example reads into every field", "[render]") {
  const Config c = config_from_json(R"({
    "tagPrefix": "Acme", "extraTags": ["vip_line"], "locale": "en-GB",
    "transcriptStyle": "per-turn", "aiDisplayName": "Robo",
    "sessionUrlTemplate": "https://app.example/sessions/{session_id}",
    "ticketFields": {"session_id": 360001, "call_id": 360002, "org_id": 0, "contact_id": 0,
                     "reason": 5, "mode": 6, "sentiment": 7, "follow_up": 8, "custom": {"order_id": 360009}},
    "redaction": {"cards": true, "cardSecurityCodes": false, "ssn": false},
    "agents": {"a1": {"displayName": "Ava", "transferNumber": "+15550100200", "followUpChannel": "callback"}},
    "sunshine": {"agentWorkspace": "zd-agentWorkspace", "integration": "mine",
                 "multiConversations": false, "userExternalIdPrefix": "tel:"},
    "matchCallers": true, "someFutureKey": {"anything": 1} })");
  CHECK(c.tag_prefix == "acme");
  CHECK(c.extra_tags == std::vector<std::string>{"vip_line"});
  CHECK(c.locale == "en-GB");
  CHECK(c.transcript_style == TranscriptStyle::per_turn);
  CHECK(c.ai_display_name == "Robo");
  CHECK(c.session_url_template == "https://app.example/sessions/{session_id}");
  CHECK(c.ticket_fields.session_id == 360001);
  CHECK(c.ticket_fields.call_id == 360002);
  CHECK(c.ticket_fields.follow_up == 8);
  CHECK(c.ticket_fields.custom.at("order_id") == 360009);
  CHECK(c.redaction.cards);
  CHECK_FALSE(c.redaction.card_security_codes);
  CHECK_FALSE(c.redaction.ssn);
  CHECK(c.agents.at("a1").display_name == "Ava");
  CHECK(c.agents.at("a1").follow_up_channel == FollowUpChannel::callback);
  CHECK(c.sunshine.integration == "mine");
  CHECK_FALSE(c.sunshine.multi_conversations);
  CHECK(c.sunshine.user_external_id_prefix == "tel:");
  CHECK(c.match_callers);
}

TEST_CASE("config: redaction false turns every category off", "[render]") {
  const Config c = config_from_json(R"({"redaction": false})");
  CHECK_FALSE(c.redaction.cards);
  CHECK_FALSE(c.redaction.card_security_codes);
  CHECK_FALSE(c.redaction.ssn);
}

TEST_CASE("config: wrong types name the key and what it expects", "[render]") {
  CHECK(config_error("{") == "config: expected JSON text (this is not valid JSON)");
  CHECK(config_error("[1]") == "config: expected a JSON object");
  CHECK(config_error(R"({"tagPrefix": "has space"})") == "tagPrefix: expected 1-40 letters, digits, '_' or '-'");
  CHECK(config_error(R"({"extraTags": "vip"})") == "extraTags: expected an array of strings");
  CHECK(config_error(R"({"transcriptStyle": "fancy"})") == "transcriptStyle: expected \"packed\" or \"per-turn\"");
  CHECK(config_error(R"({"ticketFields": {"call_id": "360002"}})").rfind("ticketFields.call_id: expected", 0) == 0);
  CHECK(config_error(R"({"ticketFields": {"call_id": -1}})").rfind("ticketFields.call_id: expected", 0) == 0);
  CHECK(config_error(R"({"ticketFields": {"custom": {"order_id": 1.5}}})").rfind("ticketFields.custom.order_id: expected", 0) == 0);
  CHECK(config_error(R"({"redaction": {"ssn": "yes"}})") == "redaction.ssn: expected true or false");
  CHECK(config_error(R"({"agents": {"a1": {"followUpChannel": "fax"}}})") ==
        "agents.a1.followUpChannel: expected \"email\", \"sms\" or \"callback\"");
  CHECK(config_error(R"x({"sessionUrlTemplate": "javascript:alert(1)"})x") ==
        "sessionUrlTemplate: expected an http:// or https:// URL template");
  CHECK(config_error(R"({"sunshine": {"agentWorkspace": ""}})") == "sunshine.agentWorkspace: expected a non-empty string");
  CHECK(config_error(R"({"matchCallers": 1})") == "matchCallers: expected true or false");
}
