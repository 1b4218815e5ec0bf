#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "ingest.hpp"
#include "json_model.hpp"
#include "ops.hpp"
#include "phone_handoff/api.hpp"
#include "test_ingest_support.hpp"

using namespace phone_handoff;
using ingest_tests::find_at;
using ingest_tests::fixture_text;
using nlohmann::json;

namespace {

ParseResult parse_text(const std::string& body, const ParseOptions& options = {}) {
  return parse_handoff("canonical", body, options);
}

std::string only_error(const ParseResult& r) {
  REQUIRE_FALSE(r.ok);
  REQUIRE(r.errors.size() == 1);
  return r.errors[0].message;
}

json call_json(const char* op, const std::vector<std::string_view>& args) {
  return json::parse(call(op, args));
}

const char kMinimal[] = R"({"call_id":"c1","handoff":{"mode":"logged_escalation"}})";

}  // namespace

TEST_CASE("every valid canonical fixture parses and round-trips through its own JSON", "[ingest]") {
  for (const char* name : ingest_tests::kValidCanonicalFixtures) {
    INFO(name);
    const ParseResult first = parse_text(fixture_text(name));
    REQUIRE(first.errors.empty());
    REQUIRE(first.ok);
    const std::string dumped = handoff_to_json(first.handoff).dump();
    const ParseResult second = parse_text(dumped);
    REQUIRE(second.ok);
    CHECK(handoff_to_json(second.handoff).dump() == dumped);
    CHECK(second.handoff.transcript == first.handoff.transcript);
    CHECK(second.handoff.custom_fields == first.handoff.custom_fields);
    CHECK(second.warnings.empty());
  }
}

TEST_CASE("the short call fixture is read completely and normalized", "[ingest]") {
  const ParseResult r = parse_text(fixture_text("canonical/short-call.json"));
  REQUIRE(r.ok);
  const Handoff& h = r.handoff;
  CHECK(h.source == "canonical");  // defaulted from the parse source
  CHECK(h.call.from == "+15550009999");
  CHECK(h.caller.phone == "+15550009999");
  CHECK(h.call.ended_at_unix_ms == 1767225730250);
  CHECK(h.handoff.mode == Mode::live_transfer);
  CHECK(h.handoff.transfer_destination == "sip:billing-desk@pbx.example.com");
  CHECK(h.transcript.size() == 7);
  CHECK(h.custom_fields.at("priority") == 2);
  CHECK(r.warnings.empty());
}

TEST_CASE("the logged escalation fixture keeps its SMS follow-up and outbound caller", "[ingest]") {
  const ParseResult r = parse_text(fixture_text("canonical/logged-escalation-sms.json"));
  REQUIRE(r.ok);
  CHECK(r.handoff.session_id == "call_9c0d7e55");
  CHECK(r.handoff.caller.phone == "+15550007777");
  CHECK(r.handoff.handoff.follow_up.channel == FollowUpChannel::sms);
  CHECK(r.handoff.handoff.follow_up.address == "+15550007777");
  CHECK(r.handoff.call.started_at_unix_ms == parse_text(R"({"call_id":"x","handoff":{"mode":"live_transfer"},
      "call":{"started_at":"2026-01-02T19:30:00Z"}})").handoff.call.started_at_unix_ms);
}

TEST_CASE("the 400-turn fixture parses whole", "[ingest]") {
  const std::string body = fixture_text("canonical/long-call-400-turns.json");
  CHECK(body.size() > 100000);
  const ParseResult r = parse_text(body);
  REQUIRE(r.ok);
  CHECK(r.handoff.transcript.size() == 400);
}

TEST_CASE("the size limit is checked before parsing and names both numbers", "[ingest]") {
  ParseOptions small;
  small.max_bytes = 100;
  const std::string body = fixture_text("canonical/short-call.json");
  CHECK(only_error(parse_text(body, small)) ==
        "body is " + std::to_string(body.size()) +
            " bytes, over the limit of 100 bytes (the maxBytes option sets the limit)");
  // Over the limit even when the bytes are not JSON at all: nothing was parsed.
  CHECK(only_error(parse_text(std::string(101, '{'), small)).rfind("body is 101 bytes", 0) == 0);
}

TEST_CASE("the depth limit rejects deep documents without building them", "[ingest]") {
  CHECK(only_error(parse_text(fixture_text("canonical/too-deep.json"))) ==
        "body nests objects and arrays deeper than the limit of 64 levels (at byte 157; the "
        "maxDepth option sets the limit)");
  // A million brackets: rejected by the pre-scan, no recursion anywhere.
  CHECK(only_error(parse_text(std::string(1000000, '['))).find("deeper than the limit of 64") != std::string::npos);
  // Brackets inside strings do not count.
  const std::string in_string = R"({"call_id":"c","handoff":{"mode":"live_transfer","summary":")" +
                                std::string(200, '[') + R"(\"{"}})";
  CHECK(parse_text(in_string).ok);
  ParseOptions deep;
  deep.max_depth = 200;
  // Within a higher limit the document is read, and the canonical reader then refuses the
  // nested custom field on its own terms.
  const ParseResult r = parse_text(fixture_text("canonical/too-deep.json"), deep);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].pointer == "/custom_fields/x");
  CHECK(r.errors[0].message.rfind("must be a string, number or boolean", 0) == 0);
}

TEST_CASE("invalid UTF-8 is reported with its byte offset", "[ingest]") {
  CHECK(only_error(parse_text(fixture_text("canonical/invalid-utf8.json"))) ==
        "body is not valid UTF-8 at byte 117");
  CHECK(only_error(parse_text("{\"a\":\"\xED\xA0\x80\"}")) == "body is not valid UTF-8 at byte 6");  // surrogate
  CHECK(only_error(parse_text("{\"a\":\"\xC0\xAF\"}")) == "body is not valid UTF-8 at byte 6");      // overlong
  CHECK(only_error(parse_text("{\"a\":\"\xF0\x9F\x98")) == "body is not valid UTF-8 at byte 6");     // truncated
  CHECK(parse_text(R"({"call_id":"café ☎ 😀","handoff":{"mode":"live_transfer"}})").ok);
}

TEST_CASE("invalid JSON is reported with its byte offset in plain words", "[ingest]") {
  CHECK(only_error(parse_text(R"({"call_id": "x",})")) ==
        "body is not valid JSON at byte 16: unexpected '}'; expected string literal");
  CHECK(only_error(parse_text("")) == "body is empty; expected a JSON document");
  CHECK(only_error(parse_text("  \n")) == "body is empty; expected a JSON document");
  CHECK(only_error(parse_text(R"({"a":1} x)")).rfind("body is not valid JSON at byte 8", 0) == 0);
  // The bytes nlohmann last read may end inside a UTF-8 sequence: they are never echoed.
  CHECK(only_error(parse_text("{\"a\":tru\xE2\x82\xAC}")) == "body is not valid JSON at byte 8: invalid literal");
  CHECK(only_error(parse_text(R"({"a":1e999})")) == "body has a number too large to represent");
}

TEST_CASE("errors and warnings are listed up to 100, then one note says there were more", "[ingest]") {
  std::string bad_turns, empty_turns;
  for (int i = 0; i < 300; ++i) {
    bad_turns += std::string(i ? "," : "") + R"({"speaker":"robot","text":"x"})";
    empty_turns += std::string(i ? "," : "") + R"({"speaker":"ai","text":" "})";
  }
  const auto doc = [](const std::string& turns) {
    return R"({"call_id":"c","handoff":{"mode":"live_transfer"},"transcript":[)" + turns + "]}";
  };
  const ParseResult bad = parse_text(doc(bad_turns));
  REQUIRE(bad.errors.size() == 101);
  CHECK(bad.errors[99].pointer == "/transcript/99/speaker");
  CHECK(bad.errors[100].pointer.empty());
  CHECK(bad.errors[100].message == "more problems than these: only the first 100 are listed");
  const ParseResult empty = parse_text(doc(empty_turns));
  REQUIRE(empty.ok);
  REQUIRE(empty.warnings.size() == 101);
  CHECK(empty.warnings[100].message == "more warnings than these: only the first 100 are listed");
  CHECK(empty.report.empty_turns_dropped == 300);
}

TEST_CASE("the canonical adapter accepts version 1 or none, and nothing else", "[ingest]") {
  CHECK(parse_text(kMinimal).ok);
  CHECK(parse_text(R"({"version":1,"call_id":"c1","handoff":{"mode":"logged_escalation"}})").ok);
  const ParseResult r = parse_text(R"({"version":2,"call_id":"c1","handoff":{"mode":"logged_escalation"}})");
  CHECK(only_error(r) == "must be 1 (the only version of the canonical handoff so far), not 2");
  CHECK(r.errors[0].pointer == "/version");
}

TEST_CASE("options are read strictly", "[ingest]") {
  const ParseOptions o = parse_options_from_json(R"({"maxBytes":1000,"maxDepth":8,"defaultCountryCode":"+44"})");
  CHECK(o.max_bytes == 1000);
  CHECK(o.max_depth == 8);
  CHECK(o.default_country_code == "44");
  CHECK(parse_options_from_json("").max_depth == 64);
  CHECK(parse_options_from_json("{}").max_bytes == 5 * 1024 * 1024);
  const auto bad = [](const char* text) {
    try {
      parse_options_from_json(text);
    } catch (const UsageError& e) {
      CHECK(e.code == "bad_options");
      return std::string(e.what());
    }
    return std::string("<accepted>");
  };
  CHECK(bad(R"({"max_bytes":10})") == "unknown option \"max_bytes\" (known: maxBytes, maxDepth, defaultCountryCode)");
  CHECK(bad(R"({"maxDepth":0})") == "option maxDepth must be a whole number from 1 to 1000, not 0");
  CHECK(bad(R"({"maxDepth":5000})") == "option maxDepth must be a whole number from 1 to 1000, not 5000");
  CHECK(bad(R"({"maxBytes":-1})") ==
        "option maxBytes must be a whole number from 1 to 1073741824, not -1");
  CHECK(bad(R"({"maxBytes":5000000000})") ==
        "option maxBytes must be a whole number from 1 to 1073741824, not 5000000000");
  CHECK(bad(R"({"maxBytes":"big"})").rfind("option maxBytes must be a whole number", 0) == 0);
  CHECK(bad(R"({"defaultCountryCode":"USA"})") ==
        "option defaultCountryCode must be a country calling code of 1 to 3 digits, like \"1\" or \"44\", not \"USA\"");
  CHECK(bad(R"({"defaultCountryCode":1})").find("not 1") != std::string::npos);
  CHECK(bad("[1]") == "options must be a JSON object, not [1]");
  CHECK(bad("{").rfind("options is not valid JSON at byte 1", 0) == 0);
}

TEST_CASE("the parse operation returns the handoff with warnings, or errors", "[ingest]") {
  json ok = call_json("parse", {"canonical", kMinimal});
  CHECK(ok["handoff"]["session_id"] == "c1");
  REQUIRE(ok["warnings"].is_array());
  CHECK(ok["warnings"][0]["pointer"] == "/caller/phone");
  CHECK(ok.size() == 2);

  json bad = call_json("parse", {"canonical", R"({"call_id":"c1","handoff":{"mode":"transfer"}})"});
  CHECK(bad == json::parse(R"({"errors":[{"pointer":"/handoff/mode",
      "message":"must be \"live_transfer\" or \"logged_escalation\", not \"transfer\""}]})"));

  json national = call_json("parse", {"canonical",
      R"({"call_id":"c1","handoff":{"mode":"live_transfer"},"call":{"direction":"inbound","from":"(555) 000-9999"}})",
      R"({"defaultCountryCode":"1"})"});
  CHECK(national["handoff"]["caller"]["phone"] == "+15550009999");

  json unknown = call_json("parse", {"zendesk", kMinimal});
  CHECK(unknown["error"]["code"] == "unknown_source");
  CHECK(unknown["error"]["message"] ==
        "unknown source \"zendesk\" (known: canonical, vapi, retell, elevenlabs, bland)");
  CHECK(call_json("parse", {"canonical", kMinimal, "{\"nope\":1}"})["error"]["code"] == "bad_options");
}

namespace {

Handoff parsed(const char* text) {
  const ParseResult r = parse_text(text);
  REQUIRE(r.ok);
  return r.handoff;
}

}  // namespace

TEST_CASE("merge enriches the earlier event without losing any value", "[ingest]") {
  const Handoff existing = parsed(R"({"source":"retell","call_id":"c1","source_event":"call_ended",
      "call":{"direction":"inbound","from":"+15550009999","recording_url":"https://r.example/1"},
      "handoff":{"mode":"live_transfer","transfer_destination":"+15550100200","reason":{"caller_asked":"a refund please"}},
      "transcript":[{"speaker":"ai","text":"Hello?","start_ms":0},{"speaker":"caller","text":"Refund.","start_ms":900}],
      "custom_fields":{"a":"1","b":"old"}})");
  const Handoff incoming = parsed(R"({"source":"retell","call_id":"c1","source_event":"call_analyzed",
      "handoff":{"mode":"logged_escalation","summary":"Wants a refund.","sentiment":"angry",
                 "reason":{"category":"user_request"}},
      "transcript":[{"speaker":"ai","text":"Hello?","start_ms":0}],
      "custom_fields":{"b":"new","c":true}})");
  const Handoff m = merge_handoffs(existing, incoming);
  CHECK(m.source_event == "call_analyzed");
  CHECK(m.call.from == "+15550009999");
  CHECK(m.call.recording_url == "https://r.example/1");
  CHECK(m.handoff.mode == Mode::live_transfer);  // a transfer that happened stays a fact
  CHECK(m.handoff.transfer_destination == "+15550100200");
  CHECK(m.handoff.summary == "Wants a refund.");
  CHECK(m.handoff.sentiment == Sentiment::angry);
  CHECK(m.handoff.reason.category == ReasonCategory::user_request);
  CHECK(m.handoff.reason.caller_asked == "a refund please");
  CHECK(m.transcript.size() == 2);  // the longer transcript
  CHECK(m.custom_fields.at("a") == "1");
  CHECK(m.custom_fields.at("b") == "new");
  CHECK(m.custom_fields.at("c") == true);
  CHECK(merge_handoffs(incoming, existing).transcript.size() == 2);
}

TEST_CASE("merge prefers the incoming transcript when both are equally long", "[ingest]") {
  const Handoff a = parsed(R"({"call_id":"c","handoff":{"mode":"live_transfer"},"transcript":[{"speaker":"ai","text":"old"}]})");
  const Handoff b = parsed(R"({"call_id":"c","handoff":{"mode":"live_transfer"},"transcript":[{"speaker":"ai","text":"new"}]})");
  CHECK(merge_handoffs(a, b).transcript[0].text == "new");
}

TEST_CASE("merge refuses two different calls", "[ingest]") {
  const Handoff a = parsed(R"({"source":"vapi","call_id":"c1","handoff":{"mode":"live_transfer"}})");
  const Handoff b = parsed(R"({"source":"vapi","call_id":"c2","handoff":{"mode":"live_transfer"}})");
  const Handoff c = parsed(R"({"source":"retell","call_id":"c1","handoff":{"mode":"live_transfer"}})");
  CHECK_THROWS_MATCHES(merge_handoffs(a, b), UsageError,
                       Catch::Matchers::Predicate<UsageError>([](const UsageError& e) {
                         return e.code == "not_same_call" &&
                                std::string(e.what()) == "merge needs two events of the same call, but got (vapi, c1) and (vapi, c2)";
                       }));
  CHECK_THROWS_AS(merge_handoffs(a, c), UsageError);
}

TEST_CASE("the merge operation reads two canonical handoffs", "[ingest]") {
  const std::string a = R"({"source":"vapi","call_id":"c1","handoff":{"mode":"live_transfer"}})";
  const std::string b = R"({"source":"vapi","call_id":"c1","handoff":{"mode":"live_transfer","summary":"S"}})";
  json merged = call_json("merge", {a, b});
  CHECK(merged["handoff"]["handoff"]["summary"] == "S");
  json errors = call_json("merge", {a, R"({"source":"vapi","handoff":{"mode":"x"}})"});
  REQUIRE(errors["errors"].size() == 2);
  CHECK(errors["errors"][0]["pointer"] == "/incoming/call_id");
  CHECK(errors["errors"][1]["pointer"] == "/incoming/handoff/mode");
  CHECK(call_json("merge", {"{", a})["errors"][0]["message"] ==
        "existing handoff is not valid JSON at byte 1: unexpected end of input; expected string literal");
  json other = call_json("merge", {a, R"({"source":"vapi","call_id":"c2","handoff":{"mode":"live_transfer"}})"});
  CHECK(other["error"]["code"] == "not_same_call");
}
