#include "test_adapter_fixtures.hpp"

using namespace phone_handoff;
using adapter_tests::describe;
using adapter_tests::fixture;
using adapter_tests::has_error;
using adapter_tests::run;

TEST_CASE("vapi end-of-call-report maps speakers, times, tools and the transfer", "[adapters]") {
  auto r = run(adapters::vapi, fixture("vapi/end-of-call-report.json"));
  INFO(describe(r.errors));
  REQUIRE(r.ok);
  const Handoff& h = r.handoff;
  CHECK(h.source == "vapi");
  CHECK(h.source_event == "end-of-call-report");
  CHECK(h.call_id == "7c1e0c3a-0000-4000-8000-000000000001");
  CHECK(h.agent.id == "asst_acme_support_01");
  CHECK(h.agent.name == "Ava");
  CHECK(h.call.direction == Direction::inbound);
  CHECK(h.call.from == "+15550009999");
  CHECK(h.call.to == "+15550001111");
  CHECK(h.caller.phone == "+15550009999");
  CHECK(h.caller.name == "Dana Whitfield");
  CHECK(h.caller.email == "dana@example.com");
  CHECK(h.call.started_at_unix_ms == 1767225662000);
  CHECK(h.call.ended_at_unix_ms == 1767225790000);
  CHECK(h.call.recording_url == "https://storage.example/acme/7c1e0c3a-combined.wav");

  // The system prompt at t=0 is configuration, not conversation; the later system note stays.
  REQUIRE(h.transcript.size() == 8);
  CHECK(h.transcript[0].speaker == Speaker::ai);
  CHECK(h.transcript[0].text == "Thanks for calling Acme, this is Ava. How can I help?");
  CHECK(h.transcript[0].start_ms == 1400);
  CHECK(h.transcript[0].end_ms == 3900);  // start + (endTime - time)
  CHECK(h.transcript[0].at_unix_ms == 1767225663400);
  CHECK(h.transcript[1].speaker == Speaker::caller);
  CHECK(h.transcript[1].start_ms == 5000);
  CHECK(h.transcript[1].end_ms == 7100);
  CHECK(h.transcript[4].text == "Okay. Can I speak to a person about the refund, please?");
  CHECK(h.transcript[4].start_ms == 18100);
  CHECK(h.transcript[7].speaker == Speaker::system);
  CHECK(h.transcript[7].text == "Call forwarded to +15550100200.");
  CHECK(h.transcript[7].start_ms == 26900);
  CHECK_FALSE(h.transcript[7].end_ms.has_value());

  REQUIRE(h.tool_calls.size() == 2);
  CHECK(h.tool_calls[0].name == "lookup_order");
  CHECK(h.tool_calls[0].at_ms == 10900);
  CHECK(h.tool_calls[0].result == R"({"order_id":"1234","charges":2,"amount":"49.00 USD"})");
  CHECK(h.tool_calls[1].name == "transferCall");
  CHECK(h.tool_calls[1].at_ms == 24800);
  CHECK(h.tool_calls[1].result == "Transfer initiated.");

  CHECK(h.handoff.mode == Mode::live_transfer);
  CHECK(h.handoff.transfer_destination == "+15550100200");
  CHECK(h.handoff.requested_at_unix_ms == 1767225790000);
  CHECK(h.handoff.summary ==
        "Caller was charged twice for order 1234 and asked for a person about the refund; transferred to billing.");
  CHECK(h.handoff.reason.category == ReasonCategory::user_request);
  CHECK(h.handoff.reason.caller_asked == "Okay. Can I speak to a person about the refund, please?");
  CHECK(h.handoff.sentiment == Sentiment::neutral);
  CHECK(h.handoff.follow_up.channel == FollowUpChannel::email);
  CHECK(h.handoff.follow_up.address == "dana@example.com");
  CHECK(h.org_id == "org_acme");

  // Scalars only; recognised keys went to their model fields instead.
  const std::map<std::string, nlohmann::json> expected = {
      {"order_id", "1234"}, {"refund_amount", 49.0}, {"crm_id", "42"},
      {"priority", 2},      {"vip", true},           {"team", "billing"}};
  CHECK(h.custom_fields == expected);
}

TEST_CASE("vapi status-update forwarding is a live transfer with the SIP destination", "[adapters]") {
  auto r = run(adapters::vapi, fixture("vapi/status-update-forwarding.json"));
  INFO(describe(r.errors));
  REQUIRE(r.ok);
  const Handoff& h = r.handoff;
  CHECK(h.source_event == "status-update");
  CHECK(h.call_id == "7c1e0c3a-0000-4000-8000-000000000001");  // same call as the report
  CHECK(h.handoff.mode == Mode::live_transfer);
  CHECK(h.handoff.transfer_destination == "sip:billing@pbx.acme.example");
  CHECK(h.handoff.requested_at_unix_ms == 1767225686900);
  CHECK(h.handoff.summary == "Charged twice for order 1234; wants a person.");
  REQUIRE(h.transcript.size() == 5);  // read from message.messages, prompt skipped
  CHECK(h.transcript[4].speaker == Speaker::ai);
  CHECK(h.transcript[4].start_ms == 21800);
  // An explicit request outranks the frustration word in the same turn.
  CHECK(h.handoff.reason.category == ReasonCategory::user_request);
  CHECK(h.handoff.reason.caller_asked ==
        "This is ridiculous. Can I speak to a person about the refund, please?");
}

TEST_CASE("vapi transfer-destination-request: outbound call, ISO timestamp, frustration", "[adapters]") {
  auto r = run(adapters::vapi, fixture("vapi/transfer-destination-request.json"));
  INFO(describe(r.errors));
  REQUIRE(r.ok);
  const Handoff& h = r.handoff;
  CHECK(h.call.direction == Direction::outbound);
  CHECK(h.caller.phone == "+15550004444");
  CHECK(h.call.from == "+15550001111");
  CHECK(h.call.to == "+15550004444");
  CHECK(h.agent.id == "asst_acme_outreach_02");
  CHECK(h.handoff.mode == Mode::live_transfer);
  CHECK(h.handoff.transfer_destination.empty());  // not chosen yet: that is what the request asks
  CHECK(h.handoff.requested_at_unix_ms == 1767225761500);
  CHECK(h.handoff.reason.category == ReasonCategory::frustration);
  CHECK(h.handoff.reason.caller_asked.empty());
  REQUIRE(h.transcript.size() == 3);
  CHECK(h.transcript[0].start_ms == 800);
  CHECK(h.transcript[0].end_ms == 3800);
}

TEST_CASE("vapi without a transfer is a logged escalation with no guessed reason", "[adapters]") {
  auto doc = fixture("vapi/end-of-call-report.json");
  auto& m = doc["message"];
  m["endedReason"] = "customer-ended-call";
  m.erase("destination");
  m["artifact"].erase("transfers");
  m["analysis"]["structuredData"] = nlohmann::json::object();
  auto& messages = m["artifact"]["messages"];
  messages[7]["message"] = "Okay, please have someone email me about the refund.";
  auto r = run(adapters::vapi, doc);
  INFO(describe(r.errors));
  REQUIRE(r.ok);
  CHECK(r.handoff.handoff.mode == Mode::logged_escalation);
  CHECK_FALSE(r.handoff.handoff.reason.category.has_value());
  CHECK(r.handoff.handoff.follow_up.channel == FollowUpChannel::email);  // "email me"
  CHECK(r.handoff.handoff.follow_up.address.empty());  // no email address known for the caller

  // A failed transfer leaves the caller with nobody: the rep must follow up.
  m["endedReason"] = "call.in-progress.error-transfer-failed";
  m["destination"] = {{"type", "number"}, {"number", "+15550100200"}};
  r = run(adapters::vapi, doc);
  REQUIRE(r.ok);
  CHECK(r.handoff.handoff.mode == Mode::logged_escalation);
  CHECK(r.handoff.handoff.transfer_destination == "+15550100200");
}

TEST_CASE("vapi recording URL falls back from combined mono to recordingUrl to stereo", "[adapters]") {
  auto doc = fixture("vapi/end-of-call-report.json");
  auto& artifact = doc["message"]["artifact"];
  artifact["recording"].erase("mono");
  CHECK(run(adapters::vapi, doc).handoff.call.recording_url == "https://storage.example/acme/7c1e0c3a-mono.wav");
  artifact.erase("recordingUrl");
  CHECK(run(adapters::vapi, doc).handoff.call.recording_url == "https://storage.example/acme/7c1e0c3a-stereo.wav");
}

TEST_CASE("vapi events that cannot carry a handoff give one error naming the accepted ones", "[adapters]") {
  auto r = run(adapters::vapi, fixture("vapi/speech-update.json"));
  REQUIRE_FALSE(r.ok);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].pointer == "/message/type");
  CHECK(r.errors[0].message ==
        "\"speech-update\" cannot carry a handoff: accepted events are end-of-call-report, "
        "status-update (status \"forwarding\") and transfer-destination-request");

  r = run(adapters::vapi, fixture("vapi/status-update-ended.json"));
  REQUIRE_FALSE(r.ok);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].pointer == "/message/status");

  r = run(adapters::vapi, nlohmann::json::parse(R"({"type":"end-of-call-report"})"));
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].pointer == "/message");
  CHECK(r.errors[0].message.rfind("missing: a Vapi server message looks like", 0) == 0);

  r = run(adapters::vapi, nlohmann::json::array());
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].pointer == "");
  CHECK(r.errors[0].message.rfind("must be an object, not an array: a Vapi server message", 0) == 0);
}

TEST_CASE("vapi malformed documents: every problem at its own pointer", "[adapters]") {
  auto r = run(adapters::vapi, fixture("vapi/missing-call-id.json"));
  REQUIRE_FALSE(r.ok);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].pointer == "/message/call/id");
  CHECK(r.errors[0].message == "missing: the Vapi call id (message.call.id) identifies the handoff");

  r = run(adapters::vapi, fixture("vapi/wrong-types.json"));
  INFO(describe(r.errors));
  REQUIRE_FALSE(r.ok);
  CHECK(has_error(r.errors, "/message/call/id", "must be a string, not a number"));
  CHECK(has_error(r.errors, "/message/call/customer/number", "must be a string, not a number"));
  CHECK(has_error(r.errors, "/message/startedAt", "is not an ISO 8601 date-time"));
  CHECK(has_error(r.errors, "/message/artifact/messages/1/time", "must be a number, not a string"));
  CHECK(has_error(r.errors, "/message/artifact/messages/1/secondsFromStart", "must be a number, not a string"));
  CHECK(has_error(r.errors, "/message/artifact/messages/2/message", "must be a string, not an array"));
  CHECK(has_error(r.errors, "/message/analysis/structuredData/handoff_reason",
                  "'because' is not a handoff reason"));
  CHECK(r.errors.size() == 7);

  r = run(adapters::vapi, fixture("vapi/messages-not-array.json"));
  REQUIRE_FALSE(r.ok);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].pointer == "/message/artifact/messages");
  CHECK(r.errors[0].message == "must be an array, not an object");
}
