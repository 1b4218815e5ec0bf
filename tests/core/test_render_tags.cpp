#include <catch2/catch.hpp>

#include "render/tags.hpp"
#include "test_render_support.hpp"

using namespace phone_handoff;
using namespace phone_handoff::render;
using render_test::live_transfer;
using render_test::logged_escalation;

TEST_CASE("tags: sanitize_tag keeps Zendesk-safe characters only", "[render]") {
  CHECK(sanitize_tag("VIP Line") == "vip_line");
  CHECK(sanitize_tag("  billing/refunds!! ") == "billing_refunds");
  CHECK(sanitize_tag("priority-1") == "priority-1");
  CHECK(sanitize_tag("caf\xC3\xA9 cr\xC3\xA8me") == "caf_cr_me");   // non-ASCII → "_"
  CHECK(sanitize_tag("a,b;c#d") == "a_b_c_d");
  CHECK(sanitize_tag("___") == "");
  CHECK(sanitize_tag("--") == "");
  CHECK(sanitize_tag("\xF0\x9F\x98\x80") == "");
  CHECK(sanitize_tag(std::string(200, 'x')).size() == 80);
}

TEST_CASE("tags: live transfer with sentiment, in a fixed order", "[render]") {
  Errors warnings;
  CHECK(handoff_tags(live_transfer(), Config{}, warnings) ==
        std::vector<std::string>{"opencx_channel_phone", "opencx_handedoff", "opencx_handoff_live_transfer",
                                 "opencx_sentiment_angry"});
  CHECK(warnings.empty());
}

TEST_CASE("tags: logged escalation adds the follow-up channel; prefix and extra tags", "[render]") {
  Config config;
  config.tag_prefix = "acme";
  config.extra_tags = {"VIP Line", "vip_line", "acme_handedoff", "!!!", "Night Shift"};
  Handoff h = logged_escalation();
  h.handoff.sentiment.reset();
  Errors warnings;
  CHECK(handoff_tags(h, config, warnings) ==
        std::vector<std::string>{"acme_channel_phone", "acme_handedoff", "acme_handoff_logged_escalation",
                                 "acme_followup_sms", "vip_line", "night_shift"});
  REQUIRE(warnings.size() == 1);   // "!!!" has nothing left
  CHECK(warnings[0].pointer == "/tags");
}
