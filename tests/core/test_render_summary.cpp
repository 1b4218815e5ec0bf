#include <catch2/catch.hpp>

#include "render/summary.hpp"
#include "render/strings.hpp"
#include "render/utf8.hpp"
#include "test_render_support.hpp"

using namespace phone_handoff;
using namespace phone_handoff::render;
using render_test::live_transfer;
using render_test::logged_escalation;

namespace {
std::string summary_of(const Handoff& h, const Config& config = Config{}) {
  Errors warnings;
  return summary_text(h, config, warnings);
}
}  // namespace

TEST_CASE("summary: live transfer reads in five seconds", "[render]") {
  CHECK(summary_of(live_transfer()) ==
        "\xF0\x9F\x93\x9E AI phone handoff \xE2\x80\x94 Live transfer to +15550100200\n"
        "Caller asked for: A refund for a double charge\n"
        "AI could not resolve: Refunds need a human to approve\n"
        "Reason: User asked for a person\n"
        "Caller: Dana Smith, +15550009999, dana@example.com\n"
        "Call: 2 min 8 s, started 2026-01-01 00:01 UTC\n"
        "Sentiment: Angry\n"
        "Summary: Caller was charged twice for order 1234.\n"
        "Recording: https://rec.example/r/1.wav");
}

TEST_CASE("summary: logged escalation shows the follow-up and the session link", "[render]") {
  Config config;
  config.session_url_template = "https://app.example/sessions/{session_id}?call={call_id}";
  Handoff h = logged_escalation();
  h.session_id = "sess 42/a";
  const std::string text = summary_of(h, config);
  CHECK(text.rfind("\xF0\x9F\x93\x9E AI phone handoff \xE2\x80\x94 Logged escalation\n", 0) == 0);
  CHECK(text.find("\nFollow-up: SMS to +15550009999\n") != std::string::npos);
  CHECK(text.find("\nView session: https://app.example/sessions/sess%2042%2Fa?call=call-1\n") != std::string::npos);
  CHECK(text.find("Live transfer") == std::string::npos);
}

TEST_CASE("summary: missing items are left out, never printed empty", "[render]") {
  Handoff h;
  h.call_id = "c";
  h.handoff.mode = Mode::live_transfer;
  h.call.recording_url = "ftp://not-a-link";       // only http(s) links are shown
  h.call.session_url = "javascript:alert(1)";
  CHECK(summary_of(h) == "\xF0\x9F\x93\x9E AI phone handoff \xE2\x80\x94 Live transfer");
}

TEST_CASE("summary: call.session_url wins over the template; a template needing a missing id gives no link", "[render]") {
  Config config;
  config.session_url_template = "https://app.example/s/{session_id}";
  Handoff h = live_transfer();
  h.call.session_url = "https://opencx.example/session/1";
  CHECK(session_url(h, config) == "https://opencx.example/session/1");
  h.call.session_url.clear();
  h.session_id.clear();
  CHECK(session_url(h, config).empty());
}

TEST_CASE("summary: newlines in values cannot forge extra labelled lines", "[render]") {
  Handoff h = live_transfer();
  h.handoff.reason.caller_asked = "refund\nView session: https://evil.example";
  const std::string text = summary_of(h);
  CHECK(text.find("Caller asked for: refund View session: https://evil.example\n") != std::string::npos);
  CHECK(text.find("\nView session:") == std::string::npos);
}

TEST_CASE("summary: long values are capped so the message stays within 4096 characters", "[render]") {
  Handoff h = live_transfer();
  h.handoff.summary = std::string(20000, 'x');
  h.handoff.reason.caller_asked = std::string(9000, 'y');
  h.call.session_url = "https://a.example/" + std::string(3000, 'z');
  Errors warnings;
  const std::string text = summary_text(h, Config{}, warnings);
  CHECK(text_units(text) <= 4096);
  CHECK(text.find("View session:") == std::string::npos);
  CHECK(warnings.size() == 1);
}

TEST_CASE("summary: metadata carries the structured values within 4 KB", "[render]") {
  Errors warnings;
  const auto meta = summary_metadata(logged_escalation(), Config{}, warnings);
  CHECK(meta["phone_handoff_kind"] == "summary");
  CHECK(meta["opencx_session_id"] == "sess-42");
  CHECK(meta["phone_handoff_mode"] == "logged_escalation");
  CHECK(meta["phone_handoff_follow_up_channel"] == "sms");
  CHECK(meta["phone_handoff_started_at"] == "2026-01-01T00:01:00.000Z");
  CHECK(meta["phone_handoff_duration_seconds"] == 128);
  CHECK(meta.dump().size() <= 4096);
}

TEST_CASE("strings: English is complete and unknown locales fall back to it", "[render]") {
  for (size_t k = 0; k < static_cast<size_t>(Text::count_); ++k)
    CHECK_FALSE(text("en", static_cast<Text>(k)).empty());
  CHECK(text("fr-CA", Text::speaker_caller) == "Caller");
  CHECK(text("EN_gb", Text::reason) == "Reason: {}");
  CHECK(duration_text("en", 45) == "45 s");
  CHECK(duration_text("en", 3725) == "1 h 2 min");
}
