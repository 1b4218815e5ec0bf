// End to end through the public surface: platform webhook bytes → call("parse", …) → canonical
// handoff JSON (adapter, then normalize, then the JSON model).
#include "phone_handoff/api.hpp"
#include "test_adapter_fixtures.hpp"

using nlohmann::json;
using test_support::fixture_text;

namespace {

json parse(const std::string& source, const std::string& file) {
  const std::string body = fixture_text(file);
  return json::parse(phone_handoff::call("parse", {source, body}));
}

}  // namespace

TEST_CASE("parse vapi end-of-call-report: canonical JSON with ISO times and model units", "[adapters]") {
  const json result = parse("vapi", "vapi/end-of-call-report.json");
  INFO(result.dump(2));
  REQUIRE(result.contains("handoff"));
  const json& h = result["handoff"];
  CHECK(h["source"] == "vapi");
  CHECK(h["source_event"] == "end-of-call-report");
  CHECK(h["call_id"] == "7c1e0c3a-0000-4000-8000-000000000001");
  CHECK(h["session_id"] == "7c1e0c3a-0000-4000-8000-000000000001");  // defaulted from call_id
  CHECK(h["call"]["started_at"] == "2026-01-01T00:01:02.000Z");
  CHECK(h["caller"]["phone"] == "+15550009999");
  CHECK(h["handoff"]["mode"] == "live_transfer");
  CHECK(h["handoff"]["transfer_destination"] == "+15550100200");
  CHECK(h["handoff"]["reason"]["category"] == "user_request");
  CHECK(h["transcript"][0]["speaker"] == "ai");
  CHECK(h["transcript"][0]["start_ms"] == 1400);
  CHECK(h["transcript"][0]["end_ms"] == 3900);
  CHECK(h["tool_calls"][0]["name"] == "lookup_order");
  CHECK(h["custom_fields"]["priority"] == 2);
}

TEST_CASE("parse each platform's short call and long calls without errors", "[adapters]") {
  const std::pair<const char*, const char*> cases[] = {
      {"vapi", "vapi/status-update-forwarding.json"},  {"vapi", "vapi/transfer-destination-request.json"},
      {"retell", "retell/call-ended.json"},            {"retell", "retell/call-analyzed.json"},
      {"retell", "retell/transfer-started.json"},      {"retell", "retell/web-call-ended.json"},
      {"elevenlabs", "elevenlabs/post-call-transcription.json"}, {"bland", "bland/post-call.json"},
      {"vapi", "vapi/long-400.json"},                  {"retell", "retell/long-400.json"},
      {"elevenlabs", "elevenlabs/long-400.json"},      {"bland", "bland/long-400.json"}};
  for (const auto& [source, file] : cases) {
    INFO(file);
    const json result = parse(source, file);
    INFO(result.dump().substr(0, 2000));
    REQUIRE(result.contains("handoff"));
    CHECK(result["handoff"]["source"] == source);
    CHECK_FALSE(result["handoff"]["call_id"].get<std::string>().empty());
  }
}

TEST_CASE("parse reports adapter errors with pointers into the platform document", "[adapters]") {
  json result = parse("retell", "retell/call-started.json");
  REQUIRE(result.contains("errors"));
  REQUIRE(result["errors"].size() == 1);
  CHECK(result["errors"][0]["pointer"] == "/event");

  result = parse("vapi", "vapi/wrong-types.json");
  REQUIRE(result.contains("errors"));
  bool found = false;
  for (const auto& e : result["errors"])
    found = found || e["pointer"] == "/message/artifact/messages/1/time";
  CHECK(found);

  result = parse("bland", "bland/missing-call-id.json");
  REQUIRE(result.contains("errors"));
  CHECK(result["errors"][0]["pointer"] == "/call_id");
}
