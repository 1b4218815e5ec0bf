// Every platform fixture, through parse and then render (both transcript styles): everything
// Zendesk would receive stays within Sunshine's limits, and the long calls pack as expected.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "phone_handoff/api.hpp"
#include "test_support.hpp"

using nlohmann::json;
using test_support::fixture_text;

namespace {

size_t utf16_units(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? ((c >= 0xF0) ? 2 : 1) : 0;
  return n;
}

json rendered(const std::string& handoff, const char* config) {
  return json::parse(phone_handoff::call("render", {handoff, config}));
}

void check_within_limits(const json& out) {
  REQUIRE(out.contains("messages"));
  CHECK(out["conversation"]["metadata"].dump().size() <= 4096);
  CHECK(out["passControlMetadata"].dump().size() <= 4096 - 64);
  CHECK(utf16_units(out["conversation"]["displayName"]) <= 100);
  CHECK(utf16_units(out["conversation"]["description"]) <= 100);
  for (const json& m : out["messages"]) {
    CHECK(utf16_units(m["content"]["text"]) <= 4096);
    CHECK(m["metadata"].dump().size() <= 4096);
    CHECK(m.dump().size() <= 100 * 1024);
    if (m["author"]["type"] == "business") CHECK(m["destination"] == json({{"integrationType", "none"}}));
  }
}

}  // namespace

TEST_CASE("render fixtures: every parsable fixture renders within Sunshine's limits", "[render]") {
  const std::vector<std::pair<const char*, const char*>> fixtures = {
      {"vapi", "vapi/end-of-call-report.json"},
      {"retell", "retell/call-analyzed.json"}, {"retell", "retell/call-ended.json"},
      {"retell", "retell/transfer-started.json"}, {"retell", "retell/web-call-ended.json"},
      {"retell", "retell/long-400.json"},
      {"elevenlabs", "elevenlabs/post-call-transcription.json"}, {"elevenlabs", "elevenlabs/long-400.json"},
      {"bland", "bland/post-call.json"}, {"bland", "bland/long-400.json"},
      {"canonical", "canonical/short-call.json"}, {"canonical", "canonical/logged-escalation-sms.json"},
      {"canonical", "canonical/long-call-400-turns.json"},
  };
  for (const auto& [source, path] : fixtures) {
    INFO(path);
    const json parsed = json::parse(phone_handoff::call("parse", {source, fixture_text(path)}));
    if (!parsed.contains("handoff")) continue;   // a fixture of a platform event that is not a handoff
    const std::string handoff = parsed["handoff"].dump();
    check_within_limits(rendered(handoff, "{}"));
    check_within_limits(rendered(handoff, R"({"transcriptStyle": "per-turn",
        "ticketFields": {"session_id": 1, "call_id": 2, "org_id": 3, "contact_id": 4, "reason": 5,
                         "mode": 6, "sentiment": 7, "follow_up": 8}})"));
  }
}

TEST_CASE("render fixtures: the 400-turn canonical call packs into about bytes/4 KB messages", "[render]") {
  const json parsed = json::parse(phone_handoff::call("parse", {"canonical", fixture_text("canonical/long-call-400-turns.json")}));
  REQUIRE(parsed.contains("handoff"));
  const json out = rendered(parsed["handoff"].dump(), "");
  size_t transcript_bytes = 0, transcript_messages = 0;
  for (const json& m : out["messages"]) {
    if (m["metadata"]["phone_handoff_kind"] != "transcript") continue;
    transcript_bytes += m["content"]["text"].get<std::string>().size() + 1;
    ++transcript_messages;
  }
  INFO("transcript bytes " << transcript_bytes << ", messages " << transcript_messages);
  CHECK(transcript_messages >= (transcript_bytes + 4095) / 4096);
  CHECK(transcript_messages <= (transcript_bytes + 4095) / 4096 + 1);
  CHECK(out["messages"].back()["metadata"]["phone_handoff_last_turn"] == 399);
}
