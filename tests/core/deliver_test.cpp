// deliver(source, body[, config[, progress[, options]]]) is parse followed by plan, in one call:
// for every fixture, configuration and progress, its plan is byte for byte what plan() gives for
// parse's handoff, and its warnings are parse's.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "phone_handoff/api.hpp"
#include "test_ingest_support.hpp"
#include "test_support.hpp"

using ingest_tests::fixture_text;
using test_support::dumped;
using nlohmann::ordered_json;
using phone_handoff::call;

namespace {

struct Fixture {
  const char* source;
  const char* file;
};

// Every payload fixture: valid ones of each size, and the invalid ones (their errors).
const std::vector<Fixture> kFixtures = {
    {"canonical", "short-call.json"}, {"canonical", "logged-escalation-sms.json"},
    {"canonical", "long-call-400-turns.json"}, {"canonical", "invalid-utf8.json"},
    {"canonical", "too-deep.json"}, {"canonical", "wrong-types.json"},
    {"vapi", "end-of-call-report.json"}, {"vapi", "long-40.json"}, {"vapi", "long-400.json"},
    {"vapi", "status-update-ended.json"}, {"vapi", "status-update-forwarding.json"},
    {"vapi", "transfer-destination-request.json"}, {"vapi", "speech-update.json"},
    {"vapi", "messages-not-array.json"}, {"vapi", "missing-call-id.json"}, {"vapi", "wrong-types.json"},
    {"retell", "call-ended.json"}, {"retell", "call-analyzed.json"}, {"retell", "call-started.json"},
    {"retell", "transfer-started.json"}, {"retell", "web-call-ended.json"}, {"retell", "long-40.json"},
    {"retell", "long-400.json"}, {"retell", "missing-call-id.json"}, {"retell", "transcript-not-array.json"},
    {"retell", "wrong-types.json"},
    {"elevenlabs", "post-call-transcription.json"}, {"elevenlabs", "post-call-audio.json"},
    {"elevenlabs", "long-40.json"}, {"elevenlabs", "long-400.json"},
    {"elevenlabs", "missing-conversation-id.json"}, {"elevenlabs", "transcript-not-array.json"},
    {"elevenlabs", "wrong-types.json"},
    {"bland", "post-call.json"}, {"bland", "long-40.json"}, {"bland", "long-400.json"},
    {"bland", "missing-call-id.json"}, {"bland", "transcripts-not-array.json"}, {"bland", "wrong-types.json"},
};

// Defaults; the per-turn style with every ticket field, agents and caller matching; redaction off.
const std::vector<std::string> kConfigs = {
    "",
    R"({"transcriptStyle":"per-turn","matchCallers":true,"tagPrefix":"acme","extraTags":["vip line"],
        "ticketFields":{"session_id":360001,"call_id":360002,"org_id":360003,"contact_id":360004,"reason":360005,
                        "mode":360006,"sentiment":360007,"follow_up":360008,"custom":{"order_id":360009}},
        "sessionUrlTemplate":"https://app.example/sessions/{session_id}",
        "agents":{"asst_1":{"displayName":"Ava"}},
        "sunshine":{"integration":"acme-bot","multiConversations":false}})",
    R"({"redaction":false,"locale":"en","aiDisplayName":"Bot"})",
};

// Nothing done yet; mid-way (user found, conversation created, summary posted); handed off.
const std::vector<std::string> kProgress = {
    "",
    R"({"callerSearch":{"done":true,"count":1,"id":77,"externalId":""},"user":{"lookup":"found","externalId":"phone:+15550009999"},
        "conversation":{"created":true,"id":"c1"},"messages":{"1":"m1"},"firstMessageId":"m1","inFlight":"post-message-2"})",
    R"({"user":{"lookup":"created","externalId":"x"},"conversation":{"id":"c1"},"control":{"ownIntegration":true},
        "messages":{"1":"m1","2":"m2"},"firstMessageId":"m1","handoff":{"passed":true},
        "delivered":{"summary":"0","ticketFields":"0"}})",
};

}  // namespace

TEST_CASE("deliver: parse then plan, byte for byte, for every fixture, config and progress", "[deliver]") {
  size_t planned = 0, refused = 0;
  for (const Fixture& f : kFixtures) {
    const std::string body = fixture_text(std::string(f.source) + "/" + f.file);
    const std::string parsed_text = call("parse", {f.source, body});
    const ordered_json parsed = ordered_json::parse(parsed_text);
    for (const std::string& config : kConfigs) {
      for (const std::string& progress : kProgress) {
        INFO(f.source << "/" << f.file << " config " << config << " progress " << progress);
        const std::string delivered = call("deliver", {f.source, body, config, progress});
        if (!parsed.contains("handoff")) {
          REQUIRE(parsed.contains("errors"));
          CHECK(delivered == parsed_text);  // the same {"errors": […]}, byte for byte
          ++refused;
          continue;
        }
        const std::string handoff = dumped(parsed["handoff"]);
        const std::string planned_text = call("plan", {handoff, config, progress});
        CHECK(delivered == "{\"plan\":" + planned_text + ",\"warnings\":" + dumped(parsed["warnings"]) + "}");
        // plan also takes parse's whole result, like render.
        CHECK(call("plan", {parsed_text, config, progress}) == planned_text);
        ++planned;
      }
    }
  }
  CHECK(planned >= 20 * kConfigs.size() * kProgress.size());
  CHECK(refused >= 10 * kConfigs.size() * kProgress.size());
}

TEST_CASE("deliver: parse options apply to the body", "[deliver]") {
  const std::string body = fixture_text("vapi/end-of-call-report.json");
  const std::string small = R"({"maxBytes":100})";
  CHECK(call("deliver", {"vapi", body, "", "", small}) == call("parse", {"vapi", body, small}));
  const std::string with_country = R"({"defaultCountryCode":"44"})";
  const ordered_json parsed = ordered_json::parse(call("parse", {"vapi", body, with_country}));
  REQUIRE(parsed.contains("handoff"));
  CHECK(call("deliver", {"vapi", body, "", "{}", with_country}) ==
        "{\"plan\":" + call("plan", {dumped(parsed["handoff"])}) + ",\"warnings\":" + dumped(parsed["warnings"]) + "}");
}

TEST_CASE("deliver: caller mistakes are errors, checked before the body is read", "[deliver]") {
  const std::string body = fixture_text("vapi/end-of-call-report.json");
  auto error_code = [](const std::string& result) {
    const ordered_json j = ordered_json::parse(result);
    return j.contains("error") ? j["error"]["code"].get<std::string>() : std::string("(no error)");
  };
  CHECK(error_code(call("deliver", {"vapi", body, R"({"transcriptStyle":"sideways"})"})) == "bad_config");
  CHECK(error_code(call("deliver", {"vapi", body, "", "{not json"})) == "bad_progress");
  CHECK(error_code(call("deliver", {"vapi", body, "", "[1]"})) == "bad_progress");
  CHECK(error_code(call("deliver", {"vapi", body, "", R"({"user":{"lookup":"maybe"}})"})) == "bad_progress");
  CHECK(error_code(call("deliver", {"vapi", body, "", "", R"({"maxBytes":"big"})"})) == "bad_options");
  CHECK(error_code(call("deliver", {"teams", body})) == "unknown_source");
  CHECK(error_code(call("deliver", {"vapi"})) == "bad_arguments");
  // A bad config is reported even when the body is not JSON at all.
  CHECK(error_code(call("deliver", {"vapi", "not json", R"({"matchCallers":"yes"})"})) == "bad_config");
  // A body that is not JSON is a payload error, like parse's.
  const std::string not_json = call("deliver", {"vapi", "not json"});
  CHECK(not_json == call("parse", {"vapi", "not json"}));
  CHECK(ordered_json::parse(not_json).contains("errors"));
}

TEST_CASE("plan: parse's whole result is accepted, errors point into it", "[deliver]") {
  const std::string parsed = call("parse", {"canonical", fixture_text("canonical/short-call.json")});
  ordered_json broken = ordered_json::parse(parsed);
  broken["handoff"]["handoff"]["mode"] = "sideways";
  const ordered_json result = ordered_json::parse(call("plan", {dumped(broken)}));
  REQUIRE(result.contains("errors"));
  CHECK(result["errors"][0]["pointer"].get<std::string>().rfind("/handoff/handoff/mode", 0) == 0);
}
