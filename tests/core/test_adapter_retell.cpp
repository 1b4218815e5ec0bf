#include "test_adapter_fixtures.hpp"

using namespace phone_handoff;
using adapter_tests::describe;
using adapter_tests::fixture;
using adapter_tests::has_error;
using adapter_tests::run;

TEST_CASE("retell call_ended maps word times, roles, tool calls and the SIP transfer", "[adapters]") {
  auto r = run(adapters::retell, fixture("retell/call-ended.json"));
  INFO(describe(r.errors));
  REQUIRE(r.ok);
  const Handoff& h = r.handoff;
  CHECK(h.source == "retell");
  CHECK(h.source_event == "call_ended");
  CHECK(h.call_id == "call_5d2a0000000000000000000001");
  CHECK(h.agent.id == "agent_northwind_support");
  CHECK(h.agent.name == "Sam");
  CHECK(h.call.direction == Direction::inbound);
  CHECK(h.caller.phone == "+15550009999");
  CHECK(h.call.from == "+15550009999");
  CHECK(h.call.to == "+15550001111");
  CHECK(h.call.started_at_unix_ms == 1767225662000);
  CHECK(h.call.ended_at_unix_ms == 1767225790000);
  CHECK(h.call.recording_url == "https://retell-recordings.example/call_5d2a/recording.wav");

  REQUIRE(h.transcript.size() == 10);
  CHECK(h.transcript[0].speaker == Speaker::ai);
  CHECK(h.transcript[0].start_ms == 620);   // words[0].start
  CHECK(h.transcript[0].end_ms == 4716);    // words[-1].end
  CHECK_FALSE(h.transcript[0].at_unix_ms.has_value());
  CHECK(h.transcript[1].speaker == Speaker::caller);
  CHECK(h.transcript[1].start_ms == 5100);
  CHECK(h.transcript[6].text == "This is the third time this month. I want to talk to a supervisor.");
  CHECK(h.transcript[8].speaker == Speaker::human_agent);  // transfer_target: the human reached
  CHECK(h.transcript[8].start_ms == 52300);
  CHECK(h.transcript[8].end_ms == 57996);

  REQUIRE(h.tool_calls.size() == 2);
  CHECK(h.tool_calls[0].name == "run_line_test");
  CHECK_FALSE(h.tool_calls[0].at_ms.has_value());  // Retell gives tool invocations no time
  CHECK(h.tool_calls[0].result == R"({"packet_loss":"14%","sync":"unstable"})");
  CHECK(h.tool_calls[1].name == "transfer_call");
  CHECK(h.tool_calls[1].result == "transferred");

  CHECK(h.handoff.mode == Mode::live_transfer);
  CHECK(h.handoff.transfer_destination == "sip:tier2@pbx.northwind.example");  // ";transport=tls" dropped
  CHECK(h.handoff.requested_at_unix_ms == 1767225790000);
  CHECK(h.handoff.summary.empty());  // only call_analyzed has the analysis
  CHECK_FALSE(h.handoff.sentiment.has_value());
  CHECK(h.handoff.reason.category == ReasonCategory::user_request);
  CHECK(h.handoff.reason.caller_asked == "This is the third time this month. I want to talk to a supervisor.");
  CHECK(h.session_id == "sess_northwind_0001");
  CHECK(h.contact_id == "contact_7788");
  CHECK(h.caller.name == "Jordan Lee");
  const std::map<std::string, nlohmann::json> expected = {
      {"crm_id", "NW-88231"},         {"customer_name", "Jordan Lee"}, {"plan", "Fiber 500"},
      {"issue_type", "connectivity"}, {"previous_node", "transfer"}};
  CHECK(h.custom_fields == expected);
}

TEST_CASE("retell call_analyzed is the same call with summary, sentiment and analysis data", "[adapters]") {
  auto ended = run(adapters::retell, fixture("retell/call-ended.json"));
  auto r = run(adapters::retell, fixture("retell/call-analyzed.json"));
  INFO(describe(r.errors));
  REQUIRE(r.ok);
  const Handoff& h = r.handoff;
  CHECK(h.source_event == "call_analyzed");
  CHECK(h.call_id == ended.handoff.call_id);
  CHECK(h.transcript == ended.handoff.transcript);
  CHECK(h.handoff.summary.rfind("Customer reported nightly connection drops;", 0) == 0);
  CHECK(h.handoff.sentiment == Sentiment::angry);  // "Negative"
  CHECK(h.handoff.reason.category == ReasonCategory::user_request);  // explicit in custom_analysis_data
  CHECK(h.handoff.follow_up.channel == FollowUpChannel::callback);
  // custom_analysis_data is read first, so its issue_type wins over the collected variable.
  CHECK(h.custom_fields.at("issue_type") == "line_fault");
  CHECK(h.custom_fields.at("repeat_caller") == true);
}

TEST_CASE("retell transfer_started: destination on the body, live transfer before the call ends", "[adapters]") {
  auto r = run(adapters::retell, fixture("retell/transfer-started.json"));
  INFO(describe(r.errors));
  REQUIRE(r.ok);
  const Handoff& h = r.handoff;
  CHECK(h.source_event == "transfer_started");
  CHECK(h.handoff.mode == Mode::live_transfer);
  CHECK(h.handoff.transfer_destination == "+15550100300");
  CHECK_FALSE(h.call.ended_at_unix_ms.has_value());
  CHECK_FALSE(h.handoff.requested_at_unix_ms.has_value());
  CHECK(h.transcript.size() == 8);
}

TEST_CASE("retell web call: no numbers is not an error; a turn without words has no times", "[adapters]") {
  auto r = run(adapters::retell, fixture("retell/web-call-ended.json"));
  INFO(describe(r.errors));
  REQUIRE(r.ok);
  const Handoff& h = r.handoff;
  CHECK(h.call.direction == Direction::web);
  CHECK(h.caller.phone.empty());
  CHECK(h.call.from.empty());
  CHECK(h.handoff.mode == Mode::logged_escalation);
  CHECK(h.org_id == "org_northwind");
  REQUIRE(h.transcript.size() == 4);  // read from transcript_object
  CHECK(h.transcript[1].start_ms == 4200);
  CHECK(h.transcript[3].text == "Okay, thanks.");
  CHECK_FALSE(h.transcript[3].start_ms.has_value());
  CHECK_FALSE(h.transcript[3].end_ms.has_value());
  CHECK_FALSE(h.handoff.reason.category.has_value());  // nothing to infer from
}

TEST_CASE("retell: an empty transcript_with_tool_calls does not hide transcript_object", "[adapters]") {
  auto doc = fixture("retell/call-ended.json");
  doc["call"]["transcript_with_tool_calls"] = nlohmann::json::array();
  auto r = run(adapters::retell, doc);
  REQUIRE(r.ok);
  CHECK(r.handoff.transcript.size() == 10);
  CHECK(r.handoff.tool_calls.empty());
}

TEST_CASE("retell outbound call: the customer is the callee", "[adapters]") {
  auto doc = fixture("retell/call-ended.json");
  doc["call"]["direction"] = "outbound";
  doc["call"]["from_number"] = "+15550001111";
  doc["call"]["to_number"] = "+15550004444";
  auto r = run(adapters::retell, doc);
  REQUIRE(r.ok);
  CHECK(r.handoff.caller.phone == "+15550004444");
  CHECK(r.handoff.call.from == "+15550001111");
}

TEST_CASE("retell malformed documents: every problem at its own pointer", "[adapters]") {
  auto r = run(adapters::retell, fixture("retell/call-started.json"));
  REQUIRE_FALSE(r.ok);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].pointer == "/event");
  CHECK(r.errors[0].message ==
        "\"call_started\" cannot carry a handoff: accepted events are call_ended, call_analyzed, "
        "transfer_started and transfer_bridged");

  r = run(adapters::retell, fixture("retell/missing-call-id.json"));
  REQUIRE_FALSE(r.ok);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].pointer == "/call/call_id");
  CHECK(r.errors[0].message == "missing: the Retell call id (call.call_id) identifies the handoff");

  r = run(adapters::retell, fixture("retell/wrong-types.json"));
  INFO(describe(r.errors));
  REQUIRE_FALSE(r.ok);
  CHECK(has_error(r.errors, "/call/to_number", "must be a string, not a number"));
  CHECK(has_error(r.errors, "/call/start_timestamp", "must be a number, not a string"));
  CHECK(has_error(r.errors, "/call/transcript_object/0/words/0/start", "must be a number, not a string"));
  CHECK(has_error(r.errors, "/call/transcript_object/1/content", "must be a string, not a number"));
  CHECK(has_error(r.errors, "/call/transcript_object/2/words", "must be an array, not an object"));
  CHECK(has_error(r.errors, "/call/call_analysis/user_sentiment", "must be a string, not a boolean"));
  CHECK(r.errors.size() == 6);

  r = run(adapters::retell, fixture("retell/transcript-not-array.json"));
  REQUIRE_FALSE(r.ok);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].pointer == "/call/transcript_object");
  CHECK(r.errors[0].message == "must be an array, not a string");

  r = run(adapters::retell, nlohmann::json::parse(R"({"event":"call_ended","call":[]})"));
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].pointer == "/call");
  CHECK(r.errors[0].message.rfind("must be an object, not an array: a Retell webhook looks like", 0) == 0);
}
