// The generated long calls (tests/fixtures/generate-platforms.mjs): one conversation script per
// length, rendered in each platform's shape. Every adapter must recover the same conversation.
#include "test_adapter_fixtures.hpp"

using namespace phone_handoff;
using adapter_tests::describe;
using adapter_tests::fixture;
using adapter_tests::run;

namespace {

struct Platform {
  const char* name;
  adapters::Adapter adapter;
};
const Platform platforms[] = {{"vapi", adapters::vapi},
                              {"retell", adapters::retell},
                              {"elevenlabs", adapters::elevenlabs},
                              {"bland", adapters::bland}};

// The spoken turns only (Bland also logs tool actions as system turns).
std::vector<Turn> spoken(const Handoff& h) {
  std::vector<Turn> out;
  for (const auto& t : h.transcript)
    if (t.speaker == Speaker::ai || t.speaker == Speaker::caller) out.push_back(t);
  return out;
}

bool said(const Handoff& h, Speaker speaker, const std::string& text) {
  for (const auto& t : h.transcript)
    if (t.speaker == speaker && t.text == text) return true;
  return false;
}

}  // namespace

TEST_CASE("long calls: every platform yields the whole conversation, in order", "[adapters]") {
  for (int turns : {40, 400}) {
    const size_t n = static_cast<size_t>(turns);
    std::vector<Handoff> results;
    for (const auto& platform : platforms) {
      const std::string file = std::string(platform.name) + "/long-" + std::to_string(turns) + ".json";
      INFO(file);
      auto r = run(platform.adapter, fixture(file));
      INFO(describe(r.errors));
      REQUIRE(r.ok);
      const Handoff& h = r.handoff;
      const auto talk = spoken(h);
      REQUIRE(talk.size() == n);
      for (size_t i = 0; i < n; ++i) {
        CHECK(talk[i].speaker == (i % 2 == 0 ? Speaker::ai : Speaker::caller));
        REQUIRE(talk[i].start_ms.has_value());
        if (i > 0) CHECK(*talk[i].start_ms >= *talk[i - 1].start_ms);
      }
      // What redaction, UTF-8 handling and reason inference downstream depend on.
      CHECK(said(h, Speaker::caller, "The card number is 4111 1111 1111 1111 and it expires in December."));
      CHECK(said(h, Speaker::caller,
                 "Sorry, again: four one one one, one one one one, one one one one, one one one one."));
      CHECK(said(h, Speaker::caller, "すみません、もう一度お願いします。"));
      CHECK(h.handoff.reason.category == ReasonCategory::user_request);
      CHECK(h.handoff.reason.caller_asked ==
            "This is taking a while. Can I please speak to a real person about this?");
      CHECK(h.handoff.mode == Mode::live_transfer);
      CHECK(h.handoff.transfer_destination == "+15550100200");
      CHECK(h.caller.phone == "+15550009999");
      CHECK(h.call.started_at_unix_ms == 1767259800000);
      // A tool call after every tenth AI turn, plus the transfer. Bland logs them as
      // agent-action lines instead, which become system turns.
      const size_t tools = turns == 40 ? 5 : 41;
      if (std::string(platform.name) == "bland") CHECK(h.transcript.size() == n + tools);
      else CHECK(h.tool_calls.size() == tools);
      CHECK(h.custom_fields.at("turns") == turns);
      results.push_back(h);
    }
    // Same script, same times: Vapi, Retell and Bland to the millisecond; ElevenLabs to the second.
    const auto vapi = spoken(results[0]), retell = spoken(results[1]);
    const auto elevenlabs = spoken(results[2]), bland = spoken(results[3]);
    for (size_t i = 0; i < n; ++i) {
      INFO("turn " << i);
      CHECK(retell[i].text == vapi[i].text);
      CHECK(bland[i].text == vapi[i].text);
      CHECK(elevenlabs[i].text == vapi[i].text);
      CHECK(retell[i].start_ms == vapi[i].start_ms);
      CHECK(bland[i].start_ms == vapi[i].start_ms);
      CHECK(*elevenlabs[i].start_ms == *vapi[i].start_ms / 1000 * 1000);
    }
  }
}

TEST_CASE("long calls: exact values of the 40-turn Vapi call", "[adapters]") {
  auto r = run(adapters::vapi, fixture("vapi/long-40.json"));
  REQUIRE(r.ok);
  const Handoff& h = r.handoff;
  CHECK(h.transcript.front().start_ms == 698);
  CHECK(h.transcript.front().end_ms == 6507);
  CHECK(h.call.ended_at_unix_ms == 1767260012000);
  CHECK(h.tool_calls.front().name == "lookup_order");
  CHECK(h.tool_calls.back().name == "transfer_call");
  CHECK(h.tool_calls.back().result == "Transfer initiated.");
}
