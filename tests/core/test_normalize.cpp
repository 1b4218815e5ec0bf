#include <catch2/catch.hpp>

#include "ingest.hpp"
#include "json_model.hpp"
#include "normalize.hpp"
#include "test_ingest_support.hpp"

using namespace phone_handoff;
using ingest_tests::find_at;
using Kind = PhoneNumber::Kind;

namespace {

struct Normalized {
  Handoff h;
  Errors errors, warnings;
  NormalizeReport report;
};

Normalized run(Handoff h, const ParseOptions& options = {}) {
  Normalized n{std::move(h), {}, {}, {}};
  normalize(n.h, options, n.errors, n.warnings, &n.report);
  return n;
}

Turn turn(Speaker s, const char* text, std::optional<int64_t> start = std::nullopt,
          std::optional<int64_t> end = std::nullopt) {
  return {s, text, start, end, std::nullopt};
}

std::vector<std::string> texts(const Handoff& h) {
  std::vector<std::string> out;
  for (const auto& t : h.transcript) out.push_back(t.text);
  return out;
}

}  // namespace

TEST_CASE("phone numbers in international form become E.164", "[ingest]") {
  for (const char* raw : {"+1 (555) 000-9999", "+1.555.000.9999", "+15550009999", " +1 555 000 9999 ",
                          "001 555 000 9999", "tel:+1-555-000-9999", "sip:+15550009999@trunk.example.com"}) {
    INFO(raw);
    const PhoneNumber n = normalize_phone(raw, "");
    CHECK(n.kind == Kind::e164);
    CHECK(n.value == "+15550009999");
  }
  CHECK(normalize_phone("0044 20 7946 0000", "").value == "+442079460000");
}

TEST_CASE("national numbers need a default country code", "[ingest]") {
  CHECK(normalize_phone("(555) 000-9999", "1").value == "+15550009999");
  CHECK(normalize_phone("1-555-000-9999", "1").value == "+15550009999");
  CHECK(normalize_phone("020 7946 0000", "44").value == "+442079460000");
  const PhoneNumber n = normalize_phone("(555) 000-9999", "");
  CHECK(n.kind == Kind::invalid);
  CHECK(n.problem == "it has no country code; write it as +<country code><number>, or set the "
                     "defaultCountryCode option to read national numbers");
}

TEST_CASE("withheld caller numbers are not errors", "[ingest]") {
  for (const char* raw : {"anonymous", "Restricted", "PRIVATE", "unknown", "sip:anonymous@anonymous.invalid"})
    CHECK(normalize_phone(raw, "").kind == Kind::withheld);
  CHECK(normalize_phone("", "1").kind == Kind::empty);
  CHECK(normalize_phone("   ", "1").kind == Kind::empty);
}

TEST_CASE("anything else is not a phone number, with the reason", "[ingest]") {
  CHECK(normalize_phone("555-CALL-NOW", "1").problem ==
        "it contains \"C\", which is not part of a phone number (extensions are not supported)");
  CHECK(normalize_phone("+1 555 000 9999 x12", "").kind == Kind::invalid);
  CHECK(normalize_phone("+12345", "").problem == "it has only 5 digits, too few for a phone number");
  CHECK(normalize_phone("+1234567890123456", "").problem == "it has 16 digits; E.164 allows at most 15");
  CHECK(normalize_phone("+0155500099", "").problem == "a country code never starts with 0");
  CHECK(normalize_phone("1+5550009999", "").kind == Kind::invalid);
  CHECK(normalize_phone("sip:desk@pbx.example.com", "").problem == "it is a SIP address without a phone number in it");
}

TEST_CASE("normalize fixes number fields, reporting bad ones at the field's pointer", "[ingest]") {
  Handoff h;
  h.call_id = "c";
  h.call.direction = Direction::inbound;
  h.call.from = "(555) 000-9999";
  h.call.to = "+1 555 000 1111";
  h.handoff.transfer_destination = "555 0100 200";
  auto n = run(h);
  REQUIRE(n.errors.size() == 2);
  CHECK(n.errors[0].pointer == "/call/from");
  CHECK(n.errors[0].message.rfind("\"(555) 000-9999\" is not a usable phone number: it has no country code", 0) == 0);
  CHECK(n.errors[1].pointer == "/handoff/transfer_destination");
  CHECK(n.report.caller_number == Kind::invalid);
  CHECK(n.report.caller_number_pointer == "/call/from");

  ParseOptions us;
  us.default_country_code = "1";
  n = run(h, us);
  CHECK(n.errors.empty());
  CHECK(n.h.call.from == "+15550009999");
  CHECK(n.h.call.to == "+15550001111");
  CHECK(n.h.caller.phone == "+15550009999");  // defaulted from call.from on an inbound call
  CHECK(n.h.handoff.transfer_destination == "+15550100200");
}

TEST_CASE("the caller number defaults from call.to on outbound calls, never guessed otherwise", "[ingest]") {
  Handoff h;
  h.call_id = "c";
  h.call.from = "+15550001111";
  h.call.to = "+15550007777";
  h.call.direction = Direction::outbound;
  CHECK(run(h).h.caller.phone == "+15550007777");
  h.call.direction.reset();
  auto n = run(h);
  CHECK(n.h.caller.phone.empty());
  REQUIRE(find_at(n.warnings, "/caller/phone"));
  CHECK(find_at(n.warnings, "/caller/phone")->message.rfind("no caller number was given", 0) == 0);
}

TEST_CASE("a withheld caller number becomes empty with one warning", "[ingest]") {
  Handoff h;
  h.call_id = "c";
  h.call.direction = Direction::inbound;
  h.call.from = "anonymous";
  const auto n = run(h);
  CHECK(n.errors.empty());
  CHECK(n.h.call.from.empty());
  CHECK(n.h.caller.phone.empty());
  CHECK(n.report.caller_number == Kind::withheld);
  REQUIRE(n.warnings.size() == 1);
  CHECK(n.warnings[0].pointer == "/caller/phone");
  CHECK(n.warnings[0].message.rfind("the caller withheld their number", 0) == 0);
}

TEST_CASE("web calls have no caller number and need no warning for it", "[ingest]") {
  Handoff h;
  h.call_id = "c";
  h.call.direction = Direction::web;
  CHECK(run(h).warnings.empty());
}

TEST_CASE("SIP URIs are accepted as transfer destinations, scheme lower-cased", "[ingest]") {
  Handoff h;
  h.call_id = "c";
  h.handoff.transfer_destination = " SIPS:Desk@pbx.example.com;transport=tls ";
  auto n = run(h);
  CHECK(n.errors.empty());
  CHECK(n.h.handoff.transfer_destination == "sips:Desk@pbx.example.com;transport=tls");
  h.handoff.transfer_destination = "sip:";
  CHECK(run(h).errors.size() == 1);
  h.handoff.transfer_destination = "the billing desk";
  n = run(h);
  REQUIRE(n.errors.size() == 1);
  CHECK(n.errors[0].message.find("must be an E.164 phone number or a sip:/sips: URI") != std::string::npos);
}

TEST_CASE("follow-up addresses are checked against their channel", "[ingest]") {
  Handoff h;
  h.call_id = "c";
  h.handoff.follow_up = {FollowUpChannel::callback, "+44 20 7946 0000"};
  CHECK(run(h).h.handoff.follow_up.address == "+442079460000");
  h.handoff.follow_up = {FollowUpChannel::email, "pat.example.com"};
  auto n = run(h);
  REQUIRE(find_at(n.errors, "/handoff/follow_up/address"));
  CHECK(find_at(n.errors, "/handoff/follow_up/address")->message ==
        "\"pat.example.com\" is not an email address, but the follow-up channel is email");
  h.handoff.follow_up = {FollowUpChannel::sms, "call me"};
  CHECK(find_at(run(h).errors, "/handoff/follow_up/address"));
}

TEST_CASE("a follow-up without an address goes to the caller's own number or email", "[ingest]") {
  Handoff h;
  h.call_id = "c";
  h.call.direction = Direction::inbound;
  h.call.from = "+1 555 000 9999";
  h.caller.email = "pat@example.com";
  h.handoff.follow_up.channel = FollowUpChannel::callback;
  CHECK(run(h).h.handoff.follow_up.address == "+15550009999");
  h.handoff.follow_up.channel = FollowUpChannel::email;
  CHECK(run(h).h.handoff.follow_up.address == "pat@example.com");
  h.handoff.follow_up.channel.reset();
  CHECK(run(h).h.handoff.follow_up.address.empty());  // no channel: nothing to default
}

TEST_CASE("turns sort by start time; untimed turns move with the turn before them", "[ingest]") {
  Handoff h;
  h.call_id = "c";
  h.transcript = {turn(Speaker::system, "intro (untimed, first)"),
                  turn(Speaker::ai, "B", 5000),
                  turn(Speaker::system, "after B (untimed)"),
                  turn(Speaker::ai, "A", 1000),
                  turn(Speaker::caller, "C1", 9000),
                  turn(Speaker::caller, "C2 (same time, later in input)", 9000),
                  turn(Speaker::caller, "A2 (same time as A)", 1000)};
  const auto n = run(h);
  CHECK(texts(n.h) == std::vector<std::string>{"intro (untimed, first)", "A", "A2 (same time as A)",
                                               "B", "after B (untimed)", "C1",
                                               "C2 (same time, later in input)"});
}

TEST_CASE("absolute turn times give start_ms when the call start is known", "[ingest]") {
  Handoff h;
  h.call_id = "c";
  h.call.started_at_unix_ms = 1767225662000;
  h.transcript = {{Speaker::caller, "later", std::nullopt, std::nullopt, 1767225672000},
                  {Speaker::ai, "earlier", std::nullopt, std::nullopt, 1767225663500}};
  const auto n = run(h);
  CHECK(texts(n.h) == std::vector<std::string>{"earlier", "later"});
  CHECK(n.h.transcript[0].start_ms == 1500);
  CHECK(n.h.transcript[0].at_unix_ms == 1767225663500);
}

TEST_CASE("exact duplicate timed turns are dropped; untimed repeats and empty turns are handled", "[ingest]") {
  Handoff h;
  h.call_id = "c";
  h.transcript = {turn(Speaker::ai, "Hello?", 0, 900),      turn(Speaker::caller, "Yes."),
                  turn(Speaker::caller, "Yes."),            turn(Speaker::ai, "Hello?", 0, 900),
                  turn(Speaker::caller, "Hello?", 0, 900),  turn(Speaker::caller, "   "),
                  turn(Speaker::ai, "  trimmed  ", 2000, 1500)};
  const auto n = run(h);
  // The untimed repeats stay after the turn they followed; the caller's "Hello?" is not a
  // duplicate of the AI's.
  CHECK(texts(n.h) == std::vector<std::string>{"Hello?", "Yes.", "Yes.", "Hello?", "trimmed"});
  CHECK(n.report.raw_turns == 7);
  CHECK(n.report.duplicate_turns_dropped == 1);
  CHECK(n.report.empty_turns_dropped == 1);
  REQUIRE(find_at(n.warnings, "/transcript/3"));
  CHECK(find_at(n.warnings, "/transcript/3")->message ==
        "repeats an earlier turn exactly (same speaker, text and times) and was dropped");
  CHECK(find_at(n.warnings, "/transcript/5")->message == "a caller turn with no text was dropped");
  CHECK(find_at(n.warnings, "/transcript/6/end_ms")->message ==
        "ends (1500 ms) before it starts (2000 ms); the end time was dropped");
  CHECK_FALSE(n.h.transcript.back().end_ms.has_value());
}

TEST_CASE("session_id defaults to call_id; nested custom fields are kept as JSON text", "[ingest]") {
  Handoff h;
  h.call_id = "call-1";
  h.custom_fields["plan"] = nlohmann::json{{"tier", "gold"}};
  h.custom_fields["gone"] = nullptr;
  h.tool_calls = {{"late", 9000, ""}, {"early", 1000, ""}, {"untimed", std::nullopt, ""}};
  const auto n = run(h);
  CHECK(n.h.session_id == "call-1");
  CHECK(n.h.custom_fields.at("plan") == "{\"tier\":\"gold\"}");
  CHECK(n.h.custom_fields.count("gone") == 0);
  CHECK(find_at(n.warnings, "/custom_fields/plan"));
  // Tool calls follow the transcript's order rule: "untimed" stays after "early".
  CHECK(n.h.tool_calls[0].name == "early");
  CHECK(n.h.tool_calls[1].name == "untimed");
  CHECK(n.h.tool_calls[2].name == "late");
}
