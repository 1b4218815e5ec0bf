#include "test_adapter_fixtures.hpp"

using namespace phone_handoff;
using adapter_tests::describe;
using adapter_tests::fixture;
using adapter_tests::has_error;
using adapter_tests::run;

TEST_CASE("elevenlabs post_call_transcription: whole seconds, tool-only turns, transfer_to_number", "[adapters]") {
  auto r = run(adapters::elevenlabs, fixture("elevenlabs/post-call-transcription.json"));
  INFO(describe(r.errors));
  REQUIRE(r.ok);
  const Handoff& h = r.handoff;
  CHECK(h.source == "elevenlabs");
  CHECK(h.source_event == "post_call_transcription");
  CHECK(h.call_id == "conv_helios_0000000001");
  CHECK(h.agent.id == "agent_helios_billing");
  CHECK(h.agent.name == "Nova");
  CHECK(h.call.direction == Direction::inbound);
  CHECK(h.caller.phone == "+34600000999");
  CHECK(h.call.from == "+34600000999");
  CHECK(h.call.to == "+34910000111");
  CHECK(h.call.started_at_unix_ms == 1767225662000);
  CHECK(h.call.ended_at_unix_ms == 1767225709000);  // start + call_duration_secs
  CHECK(h.call.recording_url.empty());  // not part of this webhook

  // The tool-only entry (message null) is not a text turn.
  REQUIRE(h.transcript.size() == 9);
  const int64_t starts[] = {0, 4000, 9000, 16000, 23000, 28000, 35000, 39000, 44000};
  for (size_t i = 0; i < 9; ++i) {
    CHECK(h.transcript[i].start_ms == starts[i]);
    CHECK_FALSE(h.transcript[i].end_ms.has_value());  // whole seconds: no invented end
  }
  CHECK(h.transcript[0].speaker == Speaker::ai);
  CHECK(h.transcript[1].speaker == Speaker::caller);
  CHECK(h.transcript[8].text == "Gracias 🙏");

  REQUIRE(h.tool_calls.size() == 2);
  CHECK(h.tool_calls[0].name == "get_latest_bill");
  CHECK(h.tool_calls[0].at_ms == 9000);
  CHECK(h.tool_calls[0].result == R"({"amount":"312.40 EUR","usual":"150.00 EUR","estimated":true})");
  CHECK(h.tool_calls[1].name == "transfer_to_number");
  CHECK(h.tool_calls[1].at_ms == 39000);
  CHECK(h.tool_calls[1].result == "Transfer to +34910000200 initiated");  // joined by request_id

  CHECK(h.handoff.mode == Mode::live_transfer);
  CHECK(h.handoff.transfer_destination == "+34910000200");
  CHECK(h.handoff.requested_at_unix_ms == 1767225703000);  // the transfer result's turn
  CHECK(h.handoff.summary.rfind("Customer's bill doubled", 0) == 0);
  CHECK(h.handoff.sentiment == Sentiment::angry);  // data collection "negative"
  CHECK(h.handoff.reason.category == ReasonCategory::user_request);
  CHECK(h.handoff.reason.caller_asked == "Then please put me through to a real person.");
  CHECK(h.session_id == "sess_helios_42");
  // Data collection values and non-system dynamic variables; null values and system__ keys skipped.
  const std::map<std::string, nlohmann::json> expected = {
      {"account_number", "HE-55120"}, {"disputed_amount", 312.4}, {"customer_tier", "gold"}};
  CHECK(h.custom_fields == expected);
}

TEST_CASE("elevenlabs without a successful transfer is a logged escalation", "[adapters]") {
  auto doc = fixture("elevenlabs/post-call-transcription.json");
  auto& result = doc["data"]["transcript"][8]["tool_results"][0];
  result["is_error"] = true;
  result["result"]["result_type"] = "transfer_to_number_error";
  auto r = run(adapters::elevenlabs, doc);
  INFO(describe(r.errors));
  REQUIRE(r.ok);
  CHECK(r.handoff.handoff.mode == Mode::logged_escalation);
  CHECK(r.handoff.handoff.transfer_destination.empty());
  CHECK(r.handoff.handoff.requested_at_unix_ms == 1767225709000);  // the call's end

  // No phone_call block: a widget conversation, and the caller id falls back to nothing.
  doc["data"]["metadata"].erase("phone_call");
  r = run(adapters::elevenlabs, doc);
  REQUIRE(r.ok);
  CHECK(r.handoff.call.direction == Direction::web);
  CHECK(r.handoff.caller.phone.empty());
}

TEST_CASE("elevenlabs outbound call: the external number is still the customer", "[adapters]") {
  auto doc = fixture("elevenlabs/post-call-transcription.json");
  doc["data"]["metadata"]["phone_call"]["direction"] = "outbound";
  auto r = run(adapters::elevenlabs, doc);
  REQUIRE(r.ok);
  CHECK(r.handoff.call.direction == Direction::outbound);
  CHECK(r.handoff.caller.phone == "+34600000999");
  CHECK(r.handoff.call.from == "+34910000111");
  CHECK(r.handoff.call.to == "+34600000999");
}

TEST_CASE("elevenlabs malformed documents: every problem at its own pointer", "[adapters]") {
  auto r = run(adapters::elevenlabs, fixture("elevenlabs/post-call-audio.json"));
  REQUIRE_FALSE(r.ok);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].pointer == "/type");
  CHECK(r.errors[0].message ==
        "\"post_call_audio\" cannot carry a handoff: the accepted event is post_call_transcription");

  r = run(adapters::elevenlabs, fixture("elevenlabs/missing-conversation-id.json"));
  REQUIRE_FALSE(r.ok);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].pointer == "/data/conversation_id");
  CHECK(r.errors[0].message ==
        "missing: the ElevenLabs conversation id (data.conversation_id) identifies the handoff");

  r = run(adapters::elevenlabs, fixture("elevenlabs/wrong-types.json"));
  INFO(describe(r.errors));
  REQUIRE_FALSE(r.ok);
  CHECK(has_error(r.errors, "/data/transcript/0/time_in_call_secs", "must be a number, not a string"));
  CHECK(has_error(r.errors, "/data/transcript/1/message", "must be a string, not an object"));
  CHECK(has_error(r.errors, "/data/transcript/2/time_in_call_secs", "must not be negative"));
  CHECK(has_error(r.errors, "/data/metadata/start_time_unix_secs", "must be a number, not a string"));
  CHECK(has_error(r.errors, "/data/metadata/phone_call", "must be an object, not a string"));
  CHECK(has_error(r.errors, "/data/analysis/transcript_summary", "must be a string, not an array"));
  CHECK(r.errors.size() == 6);

  r = run(adapters::elevenlabs, fixture("elevenlabs/transcript-not-array.json"));
  REQUIRE_FALSE(r.ok);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].pointer == "/data/transcript");
  CHECK(r.errors[0].message == "must be an array, not an object");

  r = run(adapters::elevenlabs, nlohmann::json::parse(R"({"data":{}})"));
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].pointer == "/type");
  CHECK(r.errors[0].message.rfind("missing: the accepted event is", 0) == 0);
}
