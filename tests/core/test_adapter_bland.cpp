#include "test_adapter_fixtures.hpp"

using namespace phone_handoff;
using adapter_tests::describe;
using adapter_tests::fixture;
using adapter_tests::has_error;
using adapter_tests::run;

TEST_CASE("bland post-call webhook: ISO turn times, minutes, robot and agent-action, transfer", "[adapters]") {
  auto r = run(adapters::bland, fixture("bland/post-call.json"));
  INFO(describe(r.errors));
  REQUIRE(r.ok);
  const Handoff& h = r.handoff;
  CHECK(h.source == "bland");
  CHECK(h.source_event == "post_call");
  CHECK(h.call_id == "9b0e1c2d-0000-4000-8000-00000000b1a0");
  CHECK(h.call.direction == Direction::inbound);
  CHECK(h.caller.phone == "+15550009999");
  CHECK(h.call.from == "+15550009999");
  CHECK(h.call.to == "+15550001111");
  CHECK(h.call.language == "en");
  CHECK(h.call.started_at_unix_ms == 1767225662000);
  CHECK(h.call.ended_at_unix_ms == 1767225707000);  // call_length 0.75 minutes
  CHECK(h.call.recording_url == "https://bland-recordings.example/9b0e1c2d.mp3");

  REQUIRE(h.transcript.size() == 11);
  const Speaker speakers[] = {Speaker::ai,     Speaker::caller, Speaker::ai,     Speaker::caller,
                              Speaker::system, Speaker::ai,     Speaker::caller, Speaker::ai,
                              Speaker::caller, Speaker::system, Speaker::system};
  const int64_t starts[] = {1200, 6900, 11400, 16000, 17100, 20600, 28250, 35000, 41500, 43000, 44000};
  for (size_t i = 0; i < 11; ++i) {
    CHECK(h.transcript[i].speaker == speakers[i]);
    CHECK(h.transcript[i].start_ms == starts[i]);  // created_at - started_at
    CHECK(h.transcript[i].at_unix_ms == 1767225662000 + starts[i]);
    CHECK_FALSE(h.transcript[i].end_ms.has_value());
  }
  CHECK(h.transcript[10].text == "Transferred call to +15550100400");

  CHECK(h.handoff.mode == Mode::live_transfer);
  CHECK(h.handoff.transfer_destination == "+15550100400");
  CHECK(h.handoff.requested_at_unix_ms == 1767225706000);  // transferred_at
  CHECK(h.handoff.summary.rfind("Caller wanted to reschedule a Friday cleaning", 0) == 0);
  // Nobody asked for a human and nobody sounded frustrated: no guessed category.
  CHECK_FALSE(h.handoff.reason.category.has_value());
  CHECK(h.contact_id == "pt_1988_0303");
  // Bland's built-in variables (now, from, to, call_id, language) are not ticket-field values.
  const std::map<std::string, nlohmann::json> expected = {
      {"wants_reschedule", true}, {"insurance_issue", "claim denied"}, {"clinic_id", "brightside-042"},
      {"ticket_hint", "billing"}, {"patient_dob", "1988-03-03"}};
  CHECK(h.custom_fields == expected);
}

TEST_CASE("bland outbound call without a transfer: the callee is the customer, logged escalation", "[adapters]") {
  auto doc = fixture("bland/post-call.json");
  doc["inbound"] = false;
  doc["from"] = "+15550001111";
  doc["to"] = "+15550004444";
  doc.erase("transferred_to");
  doc.erase("transferred_at");
  doc["transcripts"][6]["text"] = "Honestly this is useless, I'll call back later.";
  auto r = run(adapters::bland, doc);
  INFO(describe(r.errors));
  REQUIRE(r.ok);
  CHECK(r.handoff.call.direction == Direction::outbound);
  CHECK(r.handoff.caller.phone == "+15550004444");
  CHECK(r.handoff.handoff.mode == Mode::logged_escalation);
  CHECK(r.handoff.handoff.requested_at_unix_ms == 1767225707000);  // the call's end
  CHECK(r.handoff.handoff.reason.category == ReasonCategory::frustration);

  // c_id is the older name of the call id.
  doc.erase("call_id");
  r = run(adapters::bland, doc);
  REQUIRE(r.ok);
  CHECK(r.handoff.call_id == "9b0e1c2d-0000-4000-8000-00000000b1a0");
}

TEST_CASE("bland malformed documents: every problem at its own pointer", "[adapters]") {
  auto r = run(adapters::bland, fixture("bland/missing-call-id.json"));
  REQUIRE_FALSE(r.ok);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].pointer == "/call_id");
  CHECK(r.errors[0].message == "missing: the Bland call id (call_id, or c_id) identifies the handoff");

  r = run(adapters::bland, fixture("bland/wrong-types.json"));
  INFO(describe(r.errors));
  REQUIRE_FALSE(r.ok);
  CHECK(has_error(r.errors, "/inbound", "must be a boolean, not a string"));
  CHECK(has_error(r.errors, "/started_at", "is not an ISO 8601 date-time with a zone"));
  CHECK(has_error(r.errors, "/call_length", "must be a number, not a string"));
  CHECK(has_error(r.errors, "/transcripts/1/text", "must be a string, not a number"));
  CHECK(has_error(r.errors, "/transcripts/2/created_at", "must be a string, not a number"));
  CHECK(has_error(r.errors, "/summary", "must be a string, not an object"));
  CHECK(r.errors.size() == 6);

  r = run(adapters::bland, fixture("bland/transcripts-not-array.json"));
  REQUIRE_FALSE(r.ok);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].pointer == "/transcripts");
  CHECK(r.errors[0].message == "must be an array, not a string");

  r = run(adapters::bland, nlohmann::json("call"));
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].pointer == "");
  CHECK(r.errors[0].message.rfind("must be an object, not a string: a Bland post-call webhook", 0) == 0);
}
