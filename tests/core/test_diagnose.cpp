#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "diagnose.hpp"
#include "phone_handoff/api.hpp"
#include "test_ingest_support.hpp"

using namespace phone_handoff;
using ingest_tests::fixture_text;

namespace {

std::vector<Finding> diagnose_text(const std::string& body, const char* source = "canonical") {
  return diagnose_parse(source, parse_handoff(source, body, ParseOptions{}));
}

std::vector<std::string> codes(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.code);
  return out;
}

Finding find(const std::vector<Finding>& findings, const std::string& code) {
  for (const auto& f : findings)
    if (f.code == code) return f;
  FAIL("no finding " << code);
  throw;
}

// A handoff that passes every check; each test breaks one thing.
nlohmann::json good() {
  return nlohmann::json::parse(R"({"call_id":"c1",
    "call":{"direction":"inbound","from":"+15550009999","recording_url":"https://r.example/1",
            "session_url":"https://app.example/s/1"},
    "handoff":{"mode":"logged_escalation","follow_up":{"channel":"callback","address":"+15550009999"},
               "reason":{"category":"missing_knowledge","caller_asked":"Which plan includes roaming?"},
               "summary":"Asked about roaming plans."},
    "transcript":[{"speaker":"ai","text":"Hello?","start_ms":0},
                  {"speaker":"caller","text":"Which plan has roaming?","start_ms":1200}]})");
}

std::vector<Finding> diagnose_json(const nlohmann::json& doc) { return diagnose_text(doc.dump()); }

}  // namespace

TEST_CASE("a complete handoff has no findings; so do the valid fixtures", "[ingest]") {
  CHECK(diagnose_json(good()).empty());
  CHECK(diagnose_text(fixture_text("canonical/short-call.json")).empty());
  CHECK(diagnose_text(fixture_text("canonical/long-call-400-turns.json")).empty());
}

TEST_CASE("transcript findings tell missing, empty, AI-only and untimed apart", "[ingest]") {
  auto doc = good();
  doc.erase("transcript");
  const auto missing = diagnose_json(doc);
  CHECK(codes(missing) == std::vector<std::string>{"transcript_missing"});
  CHECK(missing[0].severity == "error");
  CHECK(missing[0].pointer == "/transcript");

  doc["transcript"] = nlohmann::json::parse(R"([{"speaker":"ai","text":" "},{"speaker":"caller","text":""}])");
  const auto empty = diagnose_json(doc);
  CHECK(find(empty, "transcript_empty").message.rfind("The transcript has 2 turn(s) but none has any text", 0) == 0);
  CHECK(find(empty, "payload_warning").severity == "info");

  doc["transcript"] = nlohmann::json::parse(R"([{"speaker":"ai","text":"Hello?","start_ms":0}])");
  CHECK(find(diagnose_json(doc), "transcript_ai_only").message ==
        "The transcript has only AI turns: the caller's side was not captured, so the rep cannot "
        "see what the caller said. Check that the platform sends user messages (turns with speaker \"caller\").");

  doc["transcript"] = nlohmann::json::parse(
      R"([{"speaker":"ai","text":"Hello?","start_ms":0},{"speaker":"caller","text":"Hi"},{"speaker":"ai","text":"Yes?"}])");
  const Finding untimed = find(diagnose_json(doc), "turns_without_timestamps");
  CHECK(untimed.severity == "warning");
  CHECK(untimed.message.rfind("2 of 3 transcript turns have no time", 0) == 0);
}

TEST_CASE("platform advice names the platform's own field", "[ingest]") {
  Handoff h;
  h.source = "vapi";
  h.call_id = "c";
  h.transcript = {{Speaker::ai, "Hello?", 0, std::nullopt, std::nullopt}};
  ParseResult parsed;
  parsed.ok = parsed.adapted = true;
  parsed.handoff = h;
  parsed.report.raw_turns = 1;
  CHECK(find(diagnose_parse("vapi", parsed), "transcript_ai_only").message ==
        "The transcript has only AI turns: the caller's side was not captured, so the rep cannot "
        "see what the caller said. Check that the platform sends user messages (Vapi: "
        "artifact.messages with role \"user\").");
  CHECK(find(diagnose_parse("retell", parsed), "summary_missing").message.find("call_analyzed") != std::string::npos);
}

TEST_CASE("reason findings: missing, or too vague to act on", "[ingest]") {
  auto doc = good();
  doc["handoff"].erase("reason");
  CHECK(codes(diagnose_json(doc)) == std::vector<std::string>{"reason_missing"});
  doc["handoff"]["reason"] = {{"category", "other"}};
  const Finding other = find(diagnose_json(doc), "reason_unclear");
  CHECK(other.pointer == "/handoff/reason/category");
  CHECK(other.message.find("(the category is \"other\")") != std::string::npos);
  doc["handoff"]["reason"] = {{"category", "user_request"}, {"caller_asked", "help"}};
  const Finding short_ask = find(diagnose_json(doc), "reason_unclear");
  CHECK(short_ask.pointer == "/handoff/reason/caller_asked");
  CHECK(short_ask.message.find("(caller_asked is only \"help\")") != std::string::npos);
  doc["handoff"]["reason"] = {{"caller_asked", "Où est ma commande ?"}};  // 20 characters, more bytes
  CHECK(diagnose_json(doc).empty());
}

TEST_CASE("caller number findings: missing, withheld, not E.164", "[ingest]") {
  auto doc = good();
  doc["call"].erase("from");
  CHECK(codes(diagnose_json(doc)) == std::vector<std::string>{"caller_number_missing"});
  doc["call"]["from"] = "Restricted";
  const auto withheld = diagnose_json(doc);
  CHECK(codes(withheld) == std::vector<std::string>{"caller_number_anonymous"});
  CHECK(withheld[0].severity == "info");
  doc["call"]["from"] = "555 000 9999";
  const auto invalid = diagnose_json(doc);
  CHECK(codes(invalid) == std::vector<std::string>{"caller_number_not_e164"});
  CHECK(invalid[0].pointer == "/call/from");
  CHECK(invalid[0].message.rfind("The caller number at /call/from is not usable: it has no country code", 0) == 0);
  doc["call"]["direction"] = "web";
  doc["call"].erase("from");
  CHECK(diagnose_json(doc).empty());
}

TEST_CASE("follow-up, summary and link findings", "[ingest]") {
  auto doc = good();
  doc["handoff"]["follow_up"] = {{"channel", "email"}};
  doc["handoff"].erase("summary");
  doc["call"]["recording_url"] = "http://r.example/1";
  doc["call"]["session_url"] = "ftp://app.example/s/1";
  const auto findings = diagnose_json(doc);
  CHECK(codes(findings) == std::vector<std::string>{"summary_missing", "follow_up_without_address",
                                                    "recording_url_not_https", "session_url_not_https"});
  CHECK(find(findings, "follow_up_without_address").message ==
        "The handoff asks the rep to follow up by email but gives no address, so the rep does not "
        "know where to reach the caller. Send handoff.follow_up.address (an email address).");
  CHECK(find(findings, "recording_url_not_https").message.find("(\"http://r.example/1\")") != std::string::npos);
}

TEST_CASE("a callback without an address is fine when the caller's number is known", "[ingest]") {
  auto doc = good();
  doc["handoff"]["follow_up"] = {{"channel", "callback"}};
  CHECK(diagnose_json(doc).empty());
  doc["call"].erase("from");
  CHECK(codes(diagnose_json(doc)) ==
        std::vector<std::string>{"caller_number_missing", "follow_up_without_address"});
}

TEST_CASE("an adapter's full-sentence error is embedded without a doubled period", "[ingest]") {
  ParseResult parsed;
  parsed.errors = {{"/call/call_id", "missing: the Retell call id identifies the handoff."}};
  const auto findings = diagnose_parse("retell", parsed);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].message == "The payload was rejected at /call/call_id: missing: the Retell call id "
                               "identifies the handoff. Nothing reaches the rep until the sender fixes it.");
}

TEST_CASE("a platform event that carries no handoff: nothing to fix, not a sender mistake", "[ingest]") {
  const auto started = diagnose_text(fixture_text("retell/call-started.json"), "retell");
  REQUIRE(codes(started) == std::vector<std::string>{"event_not_a_handoff"});
  CHECK(started[0].severity == "info");
  CHECK(started[0].pointer == "/event");
  CHECK(started[0].message ==
        "Nothing to fix: this event carries no handoff (\"call_started\" cannot carry a handoff: accepted "
        "events are call_ended, call_analyzed, transfer_started and transfer_bridged). Nothing reaches "
        "the rep from it and nothing is lost: the handoff comes with an accepted event of the same call.");

  const auto speech = diagnose_text(fixture_text("vapi/speech-update.json"), "vapi");
  REQUIRE(codes(speech) == std::vector<std::string>{"event_not_a_handoff"});
  CHECK(speech[0].pointer == "/message/type");
  CHECK(speech[0].message.find("the platform can stop sending it (Vapi: the assistant's serverMessages list).") !=
        std::string::npos);

  // A status-update must stay on (its "forwarding" status is a handoff): no advice to turn it off.
  const auto ended = diagnose_text(fixture_text("vapi/status-update-ended.json"), "vapi");
  REQUIRE(codes(ended) == std::vector<std::string>{"event_not_a_handoff"});
  CHECK(ended[0].pointer == "/message/status");
  CHECK(ended[0].message.find("a status-update carries a handoff only while forwarding") != std::string::npos);
  CHECK(ended[0].message.find("stop sending") == std::string::npos);

  const auto audio = diagnose_text(fixture_text("elevenlabs/post-call-audio.json"), "elevenlabs");
  REQUIRE(codes(audio) == std::vector<std::string>{"event_not_a_handoff"});
  CHECK(audio[0].pointer == "/type");

  for (const auto& finding : {started[0], speech[0], ended[0], audio[0]}) {
    CHECK(finding.message.find("sender fixes") == std::string::npos);
    CHECK(finding.message.find("Nothing to fix") == 0);
  }
}

TEST_CASE("a missing or mistyped event name is still the sender's mistake", "[ingest]") {
  const auto missing = diagnose_text(R"({"call": {"call_id": "c1"}})", "retell");
  REQUIRE(codes(missing) == std::vector<std::string>{"invalid_payload"});
  CHECK(missing[0].pointer == "/event");
  const auto number = diagnose_text(R"({"message": {"type": 7}})", "vapi");
  REQUIRE(codes(number) == std::vector<std::string>{"invalid_payload"});
  CHECK(number[0].message.find("must be a string, not a number") != std::string::npos);
  // The same name where a source has no event field is an ordinary rejection.
  CHECK(codes(diagnose_text(R"({"event": "call_started"})", "canonical")) != std::vector<std::string>{"event_not_a_handoff"});
}

TEST_CASE("parse failures become invalid_payload findings, one per error", "[ingest]") {
  const auto findings = diagnose_text(fixture_text("canonical/wrong-types.json"));
  REQUIRE(findings.size() == 15);
  for (const auto& f : findings) {
    CHECK(f.code == "invalid_payload");
    CHECK(f.severity == "error");
  }
  CHECK(findings[0].message ==
        "The payload was rejected at /call_id: must be a string, not a number. Nothing reaches the rep "
        "until the sender fixes it.");
  const auto utf8 = diagnose_text(fixture_text("canonical/invalid-utf8.json"));
  REQUIRE(utf8.size() == 1);
  CHECK(utf8[0].pointer.empty());
  CHECK(utf8[0].message == "The payload was rejected: body is not valid UTF-8 at byte 117. Nothing reaches "
                           "the rep until the sender fixes it.");
}

TEST_CASE("the diagnose operation returns findings as JSON", "[ingest]") {
  const auto out = nlohmann::json::parse(call("diagnose", {"canonical", R"({"call_id":"c","handoff":{"mode":"live_transfer"}})"}));
  REQUIRE(out["findings"].is_array());
  CHECK(out["findings"][0]["code"] == "transcript_missing");
  CHECK(out["findings"][0]["pointer"] == "/transcript");
  const auto invalid = nlohmann::json::parse(call("diagnose", {"canonical", "nope"}));
  CHECK(invalid["findings"][0].count("pointer") == 0);
  CHECK(nlohmann::json::parse(call("diagnose", {"sms", "{}"}))["error"]["code"] == "unknown_source");
}
