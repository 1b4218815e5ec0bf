// The `plan` operation end to end: a fixture is parsed, rendered and planned through the public
// call(), then delivered by the docs/plan.md executor against the in-memory Zendesk.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "phone_handoff/api.hpp"
#include "test_plan_support.hpp"
#include "test_support.hpp"

using nlohmann::json;
using phone_handoff::call;
using test_support::fixture_text;

namespace {

std::string canonical_handoff(const std::string& fixture) {
  const json parsed = json::parse(call("parse", {"canonical", fixture_text(fixture)}));
  REQUIRE(parsed.contains("handoff"));
  return parsed["handoff"].dump();
}

json plan_of(const std::string& handoff, const std::string& config = "{}", const std::string& progress = "{}") {
  return json::parse(call("plan", {handoff, config, progress}));
}

size_t message_posts(const json& plan) {
  size_t posts = 0;
  for (const auto& r : plan["requests"])
    if (r["id"].get<std::string>().rfind("post-message-", 0) == 0) ++posts;
  return posts;
}

}  // namespace

TEST_CASE("plan op: a short call's full first-delivery plan", "[plan]") {
  const std::string handoff = canonical_handoff("canonical/short-call.json");
  const json plan = plan_of(handoff);
  REQUIRE(plan.contains("requests"));
  CHECK(message_posts(plan) >= 2);  // the summary and at least one transcript message
  // create-user, create-conversation, pass-control-to-integration, the messages, the handoff
  CHECK(plan["requests"].size() == message_posts(plan) + 4);
  CHECK(plan["requests"][0]["body"]["externalId"] == "phone:+15550009999");
  CHECK(plan["requests"][1]["body"]["metadata"]["phone_handoff_call_id"] == "call_2b8e4d10");
  CHECK(plan["requests"].back()["body"]["metadata"].contains("first_message_id"));
  for (const auto& r : plan["requests"]) {
    const std::string path = r["path"];
    CHECK((path.rfind("/sc/v2/apps/{appId}/", 0) == 0 || path.rfind("/api/v2/", 0) == 0));
  }
}

TEST_CASE("plan op: a 400-turn call is a handful of messages, not 400 requests", "[plan]") {
  const std::string handoff = canonical_handoff("canonical/long-call-400-turns.json");
  const json plan = plan_of(handoff);
  CHECK(plan["requests"].size() == message_posts(plan) + 4);
  CHECK(plan["requests"].size() < 60);

  SECTION("per-turn style posts caller turns as the messaging user") {
    const std::string config = R"({"transcriptStyle":"per-turn"})";
    const json per_turn = plan_of(handoff, config);
    CHECK(message_posts(per_turn) > 400);  // the summary and one message per turn
    CHECK(per_turn["requests"].size() == message_posts(per_turn) + 4);
    size_t user_authored = 0;
    for (const auto& r : per_turn["requests"]) {
      if (r["body"].is_object() && r["body"].contains("author") && r["body"]["author"]["type"] == "user") {
        ++user_authored;
        CHECK(r["body"]["author"]["userExternalId"] == per_turn["resolved"]["userExternalId"]);
      }
    }
    CHECK(user_authored > 100);
  }
}

TEST_CASE("plan op: delivering a 400-turn call end to end, resumable, in one conversation", "[plan]") {
  const std::string handoff = canonical_handoff("canonical/long-call-400-turns.json");
  const std::string config = R"({"matchCallers":true})";
  plan_test::FakeZendesk zendesk;
  zendesk.support_search_results = {{{"id", 31337}, {"role", "end-user"}}};
  plan_test::Executor executor(zendesk, [&](const json& progress) { return plan_of(handoff, config, progress.dump()); });
  executor.run();
  CHECK(executor.last_plan["done"] == true);
  REQUIRE(zendesk.conversations.size() == 1);
  CHECK(zendesk.messages.begin()->second.size() == message_posts(plan_of(handoff, config)));
  CHECK(executor.progress["merge"]["status"] == "merged");
  CHECK(json::parse(call("plan", {handoff, config, executor.progress.dump()}))["requests"].empty());
}

TEST_CASE("plan op: same input, same bytes", "[plan]") {
  const std::string handoff = canonical_handoff("canonical/short-call.json");
  CHECK(call("plan", {handoff}) == call("plan", {handoff, "", "{}"}));
  CHECK(call("plan", {handoff}) == call("plan", {handoff, "{}", ""}));
  CHECK(call("plan", {handoff}) == call("plan", {handoff, "{}", "null"}));
  CHECK(call("plan", {handoff, R"({"matchCallers":true})"}) == call("plan", {handoff, R"({"matchCallers":true})"}));
}

TEST_CASE("plan op: bad inputs are explained", "[plan]") {
  const std::string handoff = canonical_handoff("canonical/short-call.json");
  CHECK(json::parse(call("plan", {"not json"}))["errors"][0]["message"] == "the handoff is not JSON text");
  CHECK(json::parse(call("plan", {"{}"})).contains("errors"));
  CHECK(json::parse(call("plan", {handoff, "{}", "[1]"}))["error"]["code"] == "bad_progress");
  CHECK(json::parse(call("plan", {handoff, "{}", "{"}))["error"]["code"] == "bad_progress");
  CHECK(json::parse(call("plan", {handoff, R"({"matchCallers":"yes"})"}))["error"]["code"] == "bad_config");
}
