#include <catch2/catch.hpp>

#include "json_model.hpp"
#include "phone_handoff/api.hpp"
#include "render/render.hpp"
#include "test_render_support.hpp"

using namespace phone_handoff;
using nlohmann::json;
using render_test::live_transfer;
using render_test::logged_escalation;

namespace {

json call_json(const char* op, const std::vector<std::string>& args) {
  std::vector<std::string_view> views(args.begin(), args.end());
  return json::parse(call(op, views));
}

std::string handoff_text(const Handoff& h) { return handoff_to_json(h).dump(); }

}  // namespace

TEST_CASE("render op: the whole output for a live transfer", "[render]") {
  const json out = call_json("render", {handoff_text(live_transfer()),
                                        R"({"ticketFields": {"session_id": 360001, "call_id": 360002, "reason": 5,
                                            "mode": 6, "sentiment": 7, "follow_up": 8, "custom": {"order_id": 360009}},
                                            "extraTags": ["VIP line"]})"});
  REQUIRE_FALSE(out.contains("error"));
  CHECK(out["tags"] == json({"opencx_channel_phone", "opencx_handedoff", "opencx_handoff_live_transfer",
                             "opencx_sentiment_angry", "vip_line"}));
  const json& conv = out["conversation"];
  CHECK(conv["type"] == "personal");
  CHECK(conv["displayName"] == "Phone call from Dana Smith");
  CHECK(conv["description"] == "Live transfer \xC2\xB7 User asked for a person");
  CHECK(conv["metadata"] == json({{"opencx_session_id", "sess-42"}, {"opencx_org_id", "org-7"},
                                  {"opencx_contact_id", "contact-9"}, {"phone_handoff_call_id", "call-1"},
                                  {"phone_handoff_source", "vapi"}, {"phone_handoff_mode", "live_transfer"}}));
  REQUIRE(out["messages"].size() == 2);
  CHECK(out["messages"][0]["metadata"]["phone_handoff_kind"] == "summary");
  CHECK(out["messages"][1]["metadata"]["phone_handoff_kind"] == "transcript");
  for (const json& m : out["messages"]) CHECK(m["destination"] == json({{"integrationType", "none"}}));
  CHECK(out["passControlMetadata"] ==
        json({{"dataCapture.systemField.tags",
               "opencx_channel_phone,opencx_handedoff,opencx_handoff_live_transfer,opencx_sentiment_angry,vip_line"},
              {"dataCapture.ticketField.360001", "sess-42"}, {"dataCapture.ticketField.360002", "call-1"},
              {"dataCapture.ticketField.6", "live_transfer"}, {"dataCapture.ticketField.5", "user_request"},
              {"dataCapture.ticketField.7", "angry"}}));
  CHECK(out["redactions"] == json({{"card", 0}, {"card_security_code", 0}, {"card_expiry", 0}, {"ssn", 0}}));
  CHECK(out["warnings"] == json::array());
}

TEST_CASE("render op: logged escalation fills follow-up and custom fields", "[render]") {
  Handoff h = logged_escalation();
  h.custom_fields["order_id"] = "1234";
  h.custom_fields["vip"] = true;
  const json out = call_json("render", {handoff_text(h), R"({"ticketFields": {"follow_up": 8, "custom": {"order_id": 9, "vip": 10, "absent": 11}}})"});
  const json& meta = out["passControlMetadata"];
  CHECK(meta["dataCapture.ticketField.8"] == "sms: +15550009999");
  CHECK(meta["dataCapture.ticketField.9"] == "1234");
  CHECK(meta["dataCapture.ticketField.10"] == true);
  CHECK_FALSE(meta.contains("dataCapture.ticketField.11"));
  CHECK(out["tags"][3] == "opencx_followup_sms");
  CHECK(out["messages"][0]["content"]["text"].get<std::string>().find("\nFollow-up: SMS to +15550009999\n") != std::string::npos);
}

TEST_CASE("render: passControl metadata never exceeds 4 KB and leaves room for first_message_id", "[render]") {
  Handoff h = live_transfer();
  Config config;
  for (int i = 0; i < 40; ++i) {
    h.custom_fields["field_" + std::to_string(i)] = std::string(300, 'v');
    config.ticket_fields.custom["field_" + std::to_string(i)] = 1000 + i;
  }
  for (int i = 0; i < 300; ++i) config.extra_tags.push_back("extra_tag_number_" + std::to_string(i));
  config.ticket_fields.session_id = 1;
  const auto out = render::render_handoff(h, config);
  const std::string meta = out.pass_control_metadata.dump();
  CHECK(meta.size() <= 4096 - render::kFirstMessageIdReserve);
  CHECK(out.pass_control_metadata["dataCapture.ticketField.1"] == "sess-42");   // ids first, never cut
  CHECK_FALSE(out.warnings.empty());
  // With first_message_id added by the planner it still fits.
  auto with_id = out.pass_control_metadata;
  with_id["first_message_id"] = std::string(24, 'a');
  CHECK(with_id.dump().size() <= 4096);
}

TEST_CASE("render: ids too long for the conversation metadata are left out with a warning", "[render]") {
  Handoff h = live_transfer();
  h.org_id = std::string(5000, 'o');
  const auto out = render::render_handoff(h, Config{});
  CHECK(out.conversation["metadata"].dump().size() <= 4096);
  CHECK_FALSE(out.conversation["metadata"].contains("opencx_org_id"));
  CHECK(out.conversation["metadata"]["opencx_session_id"] == "sess-42");
  bool warned = false;
  for (const auto& w : out.warnings) warned = warned || w.pointer == "/conversation/metadata/opencx_org_id";
  CHECK(warned);
}

TEST_CASE("render: never emits a card number when redaction is on", "[render]") {
  Handoff h = live_transfer();
  h.transcript.push_back({Speaker::caller, "four one one one one one one one one one one one one one one one", 9000, 9500, std::nullopt});
  h.handoff.summary = "Card 4111-1111-1111-1111 was declined";
  h.custom_fields["card"] = "4111111111111111";
  const std::string out = call(std::string_view("render"), {handoff_text(h), "{\"ticketFields\":{\"custom\":{\"card\":5}}}"});
  CHECK(out.find("4111") == std::string::npos);
  CHECK(out.find("four one one one") == std::string::npos);
  CHECK(json::parse(out)["redactions"]["card"] == 3);

  const std::string off = call(std::string_view("render"), {handoff_text(h), "{\"redaction\": false}"});
  CHECK(off.find("4111-1111-1111-1111") != std::string::npos);
}

TEST_CASE("redact op: a text or a handoff, counts only", "[render]") {
  const json text = call_json("redact", {R"({"text": "ssn 123-45-6789, card 4111 1111 1111 1111 cvv 123"})"});
  CHECK(text["text"] == "ssn [SSN ending 6789], card [card ending 1111] cvv [card security code]");
  CHECK(text["redactions"] == json({{"card", 1}, {"card_security_code", 1}, {"card_expiry", 0}, {"ssn", 1}}));

  Handoff h = live_transfer();
  h.handoff.summary = "SSN 123-45-6789";
  const json wrapped = call_json("redact", {"{\"handoff\":" + handoff_text(h) + "}", R"({"redaction": {"ssn": true}})"});
  CHECK(wrapped["handoff"]["handoff"]["summary"] == "SSN [SSN ending 6789]");
  CHECK(wrapped["redactions"]["ssn"] == 1);
}

TEST_CASE("redact/render ops: bad input is a result, bad config an error", "[render]") {
  CHECK(call_json("render", {"{not json"}).contains("errors"));
  const json missing = call_json("render", {R"({"session_id": "s"})"});
  REQUIRE(missing.contains("errors"));
  CHECK_FALSE(missing["errors"].empty());
  CHECK(call_json("redact", {R"({"text": 5})"})["errors"][0]["pointer"] == "/text");
  const json bad = call_json("render", {handoff_text(live_transfer()), R"({"transcriptStyle": 3})"});
  CHECK(bad["error"]["code"] == "bad_config");
  CHECK(bad["error"]["message"] == "transcriptStyle: expected \"packed\" or \"per-turn\"");
}
