#include <catch2/catch.hpp>

#include "json_model.hpp"

using namespace phone_handoff;
using nlohmann::json;

namespace {

Handoff full_handoff() {
  Handoff h;
  h.source = "vapi";
  h.source_event = "end-of-call-report";
  h.event_id = "evt-1";
  h.session_id = "sess-1";
  h.org_id = "org-1";
  h.contact_id = "contact-1";
  h.call_id = "call-1";
  h.agent = {"agent-1", "Ava"};
  h.call.direction = Direction::inbound;
  h.call.from = "+15550009999";
  h.call.to = "+15550001111";
  h.call.started_at_unix_ms = 1767225662000;
  h.call.ended_at_unix_ms = 1767225790000;
  h.call.language = "en";
  h.call.recording_url = "https://example.com/rec.wav";
  h.call.session_url = "https://example.com/s/1";
  h.caller = {"+15550009999", "Pat Doe", "pat@example.com"};
  h.handoff.mode = Mode::live_transfer;
  h.handoff.requested_at_unix_ms = 1767225780000;
  h.handoff.transfer_destination = "sip:desk@example.com";
  h.handoff.follow_up = {FollowUpChannel::sms, "+15550009999"};
  h.handoff.reason = {ReasonCategory::user_request, "a refund for order 1234", "refund policy"};
  h.handoff.summary = "Caller wants a refund.";
  h.handoff.sentiment = Sentiment::angry;
  h.transcript.push_back({Speaker::ai, "Hello?", 0, 900, 1767225662000});
  h.transcript.push_back({Speaker::caller, "I want a refund.", 1400, 3900, std::nullopt});
  h.tool_calls.push_back({"lookup_order", 8000, "found"});
  h.custom_fields["order_id"] = "1234";
  h.custom_fields["priority"] = 2;
  h.custom_fields["vip"] = true;
  return h;
}

bool same(const Handoff& a, const Handoff& b) {
  return handoff_to_json(a).dump() == handoff_to_json(b).dump();
}

Errors read_errors(const char* text) {
  Handoff h;
  Errors errors;
  CHECK_FALSE(handoff_from_json(json::parse(text), h, errors));
  return errors;
}

}  // namespace

TEST_CASE("handoff_to_json writes the canonical shape, in order, with ISO times", "[ingest]") {
  const auto j = handoff_to_json(full_handoff());
  CHECK(j.dump() ==
        R"({"version":1,"source":"vapi","source_event":"end-of-call-report","event_id":"evt-1",)"
        R"("session_id":"sess-1","org_id":"org-1","contact_id":"contact-1","call_id":"call-1",)"
        R"("agent":{"id":"agent-1","name":"Ava"},)"
        R"("call":{"direction":"inbound","from":"+15550009999","to":"+15550001111",)"
        R"("started_at":"2026-01-01T00:01:02.000Z","ended_at":"2026-01-01T00:03:10.000Z","language":"en",)"
        R"("recording_url":"https://example.com/rec.wav","session_url":"https://example.com/s/1"},)"
        R"("caller":{"phone":"+15550009999","name":"Pat Doe","email":"pat@example.com"},)"
        R"("handoff":{"mode":"live_transfer","requested_at":"2026-01-01T00:03:00.000Z",)"
        R"("transfer_destination":"sip:desk@example.com","follow_up":{"channel":"sms","address":"+15550009999"},)"
        R"("reason":{"category":"user_request","caller_asked":"a refund for order 1234","ai_unresolved":"refund policy"},)"
        R"("summary":"Caller wants a refund.","sentiment":"angry"},)"
        R"("transcript":[{"speaker":"ai","text":"Hello?","start_ms":0,"end_ms":900,"at":"2026-01-01T00:01:02.000Z"},)"
        R"({"speaker":"caller","text":"I want a refund.","start_ms":1400,"end_ms":3900}],)"
        R"("tool_calls":[{"name":"lookup_order","at_ms":8000,"result":"found"}],)"
        R"("custom_fields":{"order_id":"1234","priority":2,"vip":true}})");
}

TEST_CASE("handoff_to_json omits absent values", "[ingest]") {
  Handoff h;
  h.call_id = "c";
  CHECK(handoff_to_json(h).dump() ==
        R"({"version":1,"call_id":"c","handoff":{"mode":"logged_escalation"}})");
}

TEST_CASE("handoff_from_json reads back what handoff_to_json wrote", "[ingest]") {
  const Handoff original = full_handoff();
  Handoff read;
  Errors errors;
  REQUIRE(handoff_from_json(json::parse(handoff_to_json(original).dump()), read, errors));
  CHECK(errors.empty());
  CHECK(same(read, original));
  CHECK(read.transcript == original.transcript);
}

TEST_CASE("handoff_from_json ignores unknown fields and treats null as absent", "[ingest]") {
  Handoff h;
  Errors errors;
  REQUIRE(handoff_from_json(json::parse(R"({"call_id":"c","handoff":{"mode":"live_transfer","x":1},
      "future":{"a":[1]},"summary":null,"caller":{"name":null,"phone":"+1555"},"custom_fields":{"gone":null}})"),
                            h, errors));
  CHECK(h.caller.phone == "+1555");
  CHECK(h.custom_fields.empty());
}

TEST_CASE("handoff_from_json reports every wrong value with a pointer and plain English", "[ingest]") {
  const Errors errors = read_errors(R"({"call_id":7,"handoff":{"mode":"transfer","sentiment":"sad"},
      "call":{"started_at":"yesterday","direction":"in"},"caller":[],
      "transcript":[{"speaker":"bot","text":"hi","start_ms":-5},"x",{"speaker":"ai","text":"a","start_ms":9,"end_ms":3}],
      "tool_calls":[{"at_ms":1.5}],"custom_fields":{"a/b":{"x":1},"list":[1]}})");
  auto message_at = [&](const std::string& pointer) {
    for (const auto& e : errors)
      if (e.pointer == pointer) return e.message;
    return std::string("<none>");
  };
  CHECK(message_at("/call_id") == "must be a string, not a number");
  CHECK(message_at("/handoff/mode") == "must be \"live_transfer\" or \"logged_escalation\", not \"transfer\"");
  CHECK(message_at("/handoff/sentiment") == "must be one of \"angry\", \"neutral\", \"happy\", not \"sad\"");
  CHECK(message_at("/call/started_at") ==
        "must be an ISO 8601 date-time with a time zone, like \"2026-01-01T00:01:02.000Z\", not \"yesterday\"");
  CHECK(message_at("/call/direction") == "must be one of \"inbound\", \"outbound\", \"web\", not \"in\"");
  CHECK(message_at("/caller") == "must be an object, not an array");
  CHECK(message_at("/transcript/0/speaker") ==
        "must be one of \"ai\", \"caller\", \"human_agent\", \"system\", not \"bot\"");
  CHECK(message_at("/transcript/0/start_ms") ==
        "must be a whole, non-negative number of milliseconds from the start of the call, not -5");
  CHECK(message_at("/transcript/1") == "must be an object, not a string");
  CHECK(message_at("/transcript/2/end_ms") == "must not be before start_ms (9), not 3");
  CHECK(message_at("/tool_calls/0/name") == "is required (the tool's name)");
  CHECK(message_at("/tool_calls/0/at_ms") ==
        "must be a whole, non-negative number of milliseconds from the start of the call, not 1.5");
  CHECK(message_at("/custom_fields/a~1b").find("must be a string, number or boolean") == 0);
  CHECK(message_at("/custom_fields/list") ==
        "must be a string, number or boolean (custom fields fill flat Zendesk ticket fields), not an array");
  CHECK(errors.size() == 14);
}

TEST_CASE("handoff_from_json requires call_id and handoff.mode", "[ingest]") {
  Errors errors = read_errors(R"({"handoff":{}})");
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].pointer == "/call_id");
  CHECK(errors[1].pointer == "/handoff/mode");
  CHECK(errors[1].message == "is required and must be \"live_transfer\" or \"logged_escalation\"");
  errors = read_errors(R"({"call_id":"","handoff":{"mode":"live_transfer"}})");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message == "must not be empty (with source it identifies the handoff)");
  errors = read_errors("[1]");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].pointer == "");
  CHECK(errors[0].message == "the handoff must be a JSON object, not an array");
}
