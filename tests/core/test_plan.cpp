// The Sunshine plan (core/src/plan): order, resumption, reuse, updates, caller matching and
// determinism, run against an in-memory Zendesk by an executor that follows docs/plan.md.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "ops.hpp"
#include "plan/plan.hpp"
#include "test_plan_support.hpp"

using nlohmann::json;
using nlohmann::ordered_json;
using phone_handoff::Handoff;
using phone_handoff::plan::make_plan;
using phone_handoff::plan::Rendered;
using phone_handoff::plan::Settings;
using plan_test::Executor;
using plan_test::FakeZendesk;

namespace {

Handoff sample_handoff() {
  Handoff h;
  h.source = "vapi";
  h.call_id = "call-42";
  h.session_id = "sess-7";
  h.caller.phone = "+15135557611";
  h.caller.name = "Dana  Q. Whitfield";
  h.caller.email = "dana@example.com";
  h.call.direction = phone_handoff::Direction::inbound;
  h.call.from = "+15135557611";
  h.call.language = "en-US";
  return h;
}

ordered_json message(const std::string& kind, int part, int parts, const std::string& text) {
  return {{"author", {{"type", "business"}, {"displayName", "AI agent"}}},
          {"content", {{"type", "text"}, {"text", text}}},
          {"destination", {{"integrationType", "none"}}},
          {"metadata",
           {{"phone_handoff_kind", kind},
            {"opencx_session_id", "sess-7"},
            {"phone_handoff_call_id", "call-42"},
            {"phone_handoff_part", part},
            {"phone_handoff_parts", parts}}}};
}

// A summary and `transcript_parts` packed transcript messages, as render lays them out.
Rendered sample_rendered(int transcript_parts, const std::string& summary = "Caller wants a refund.") {
  Rendered r;
  r.conversation = {{"displayName", "Phone call 2026-01-01"},
                    {"description", "Refund request the AI could not approve"},
                    {"metadata", {{"opencx_session_id", "sess-7"}, {"phone_handoff_call_id", "call-42"}}}};
  r.messages.push_back(message("summary", 1, 1, summary));
  for (int i = 1; i <= transcript_parts; ++i)
    r.messages.push_back(message("transcript", i, transcript_parts, "[00:0" + std::to_string(i) + "] Caller: part " + std::to_string(i)));
  r.pass_control_metadata = {{"dataCapture.systemField.tags", "opencx_channel_phone handoff"},
                             {"dataCapture.ticketField.360001", "sess-7"},
                             {"dataCapture.ticketField.360002", "call-42"}};
  return r;
}

Settings sample_settings() {
  Settings s;
  s.own_integration = "phone-handoff";
  return s;
}

std::vector<std::string> ids_of(const ordered_json& plan) {
  std::vector<std::string> ids;
  for (const auto& r : plan["requests"]) ids.push_back(r["id"]);
  return ids;
}

bool has_diagnostic(const json& plan, const std::string& code) {
  for (const auto& d : plan["diagnostics"])
    if (d["code"] == code) return true;
  return false;
}

struct Scenario {
  Handoff handoff = sample_handoff();
  Settings settings = sample_settings();
  Rendered rendered = sample_rendered(3);
  FakeZendesk zendesk;

  json plan(const json& progress) const {
    return json::parse(make_plan(handoff, settings, rendered, progress).dump());
  }
  Executor executor() {
    return Executor{zendesk, [this](const json& p) { return plan(p); }};
  }
};

}  // namespace

TEST_CASE("a first delivery is planned in order: user, conversation, control, messages, handoff", "[plan]") {
  Scenario s;
  const json plan = s.plan(json::object());
  // Nobody matched in Support (matching is off here): probably a first-time caller, so the user
  // is created straight away; a returning one answers 409 and is read back.
  CHECK(ids_of(plan) == std::vector<std::string>{"create-user", "create-conversation",
                                                 "pass-control-to-integration", "post-message-1", "post-message-2",
                                                 "post-message-3", "post-message-4", "pass-control-to-agent-workspace"});
  CHECK(plan["done"] == false);
  const json& create = plan["requests"][0];
  CHECK(create["path"] == "/sc/v2/apps/{appId}/users");
  CHECK(create["onStatus"]["409"]["set"]["/user/lookup"] == "conflict");
  CHECK(create["body"]["profile"] == json{{"givenName", "Dana"}, {"surname", "Q. Whitfield"},
                                          {"email", "dana@example.com"}, {"locale", "en-US"}});
  CHECK(create["body"]["metadata"] == json{{"phone", "+15135557611"}});
  const json& conversation = plan["requests"][1];
  CHECK(conversation["idempotent"] == false);
  CHECK(conversation["body"]["type"] == "personal");
  CHECK(conversation["body"]["participants"] == json::array({{{"userExternalId", "phone:+15135557611"}}}));
  CHECK(conversation["probe"]["matchAny"][0]["/metadata/phone_handoff_call_id"] == "call-42");
  CHECK(plan["requests"][3]["path"] == "/sc/v2/apps/{appId}/conversations/{conversationId}/messages");
  CHECK(plan["requests"][3]["capture"]["/firstMessageId"] == "/messages/0/id");
  const json& handoff = plan["requests"][7];
  CHECK(handoff["body"]["switchboardIntegration"] == "zd-agentWorkspace");
  CHECK(handoff["body"]["metadata"]["first_message_id"] == "{firstMessageId}");
  CHECK(handoff["body"]["metadata"]["dataCapture.ticketField.360001"] == "sess-7");
}

TEST_CASE("a long call costs one request per rendered message plus four, not one per turn", "[plan]") {
  Scenario s;
  s.rendered = sample_rendered(40);  // 400 turns packed into 4096-character messages
  const json plan = s.plan(json::object());
  // create-user, create-conversation, pass-control-to-integration, pass-control-to-agent-workspace
  CHECK(plan["requests"].size() == s.rendered.messages.size() + 4);
}

TEST_CASE("the executor delivers everything once, and the plan foresaw every request it sent", "[plan]") {
  Scenario s;
  const auto forecast = ids_of(s.plan(json::object()));
  auto executor = s.executor();
  executor.run();
  CHECK(executor.last_plan["done"] == true);
  CHECK(executor.steps == forecast);
  REQUIRE(s.zendesk.conversations.size() == 1);
  const auto& [conversation_id, conversation] = *s.zendesk.conversations.begin();
  CHECK(s.zendesk.messages[conversation_id].size() == 4);
  CHECK(conversation["_passMetadata"]["first_message_id"] == s.zendesk.messages[conversation_id][0]["id"]);
  CHECK(executor.progress["firstMessageId"] == s.zendesk.messages[conversation_id][0]["id"]);
  CHECK(executor.last_plan["resolved"]["conversationId"] == conversation_id);
  CHECK(executor.last_plan["resolved"]["handedOff"] == true);
}

TEST_CASE("resuming from every intermediate progress never repeats a completed step", "[plan]") {
  Scenario s;
  s.settings.match_callers = true;
  s.zendesk.support_search_results = {{{"id", 424242}}};
  auto executor = s.executor();
  std::vector<std::pair<json, FakeZendesk>> snapshots{{executor.progress, s.zendesk}};
  while (executor.step()) snapshots.emplace_back(executor.progress, s.zendesk);
  REQUIRE(executor.last_plan["done"] == true);
  REQUIRE(executor.steps.size() == snapshots.size() - 1);
  for (size_t k = 0; k < snapshots.size(); ++k) {
    INFO("after " << k << " steps: " << snapshots[k].first.dump());
    const auto remaining = ids_of(s.plan(snapshots[k].first));
    for (size_t done = 0; done < k; ++done)
      CHECK(std::find(remaining.begin(), remaining.end(), executor.steps[done]) == remaining.end());
    // Another process picks up from here and finishes with nothing created twice.
    Scenario resumed;
    resumed.settings = s.settings;
    resumed.zendesk = snapshots[k].second;
    auto other = resumed.executor();
    other.progress = snapshots[k].first;
    other.run();
    CHECK(other.last_plan["done"] == true);
    CHECK(resumed.zendesk.applied == s.zendesk.applied);
  }
}

TEST_CASE("an answer lost after the server acted is found by the probe, never sent twice", "[plan]") {
  const std::vector<std::string> non_idempotent = {"create-conversation", "post-message-1", "post-message-3",
                                                   "pass-control-to-agent-workspace"};
  for (const auto& lost : non_idempotent) {
    Scenario s;
    auto executor = s.executor();
    executor.lose_answer_of = {lost};
    executor.run();
    INFO("answer lost for " << lost);
    CHECK(executor.last_plan["done"] == true);
    CHECK(std::count(executor.steps.begin(), executor.steps.end(), lost) == 1);
    CHECK(s.zendesk.calls[lost + "#probe"] == 1);
    REQUIRE(s.zendesk.conversations.size() == 1);
    CHECK(s.zendesk.messages.begin()->second.size() == 4);
    CHECK(std::count(s.zendesk.applied.begin(), s.zendesk.applied.end(), lost) == 1);
    CHECK(!executor.progress.contains("inFlight"));
  }
}

TEST_CASE("a request sent but not answered is re-planned with probeFirst", "[plan]") {
  Scenario s;
  json progress = {{"user", {{"lookup", "created"}, {"externalId", "phone:+15135557611"}}},
                   {"conversation", {{"created", true}, {"id", "c9"}}},
                   {"control", {{"ownIntegration", true}}},
                   {"messages", {{"1", "m1"}}},
                   {"firstMessageId", "m1"},
                   {"inFlight", "post-message-2"}};
  const json plan = s.plan(progress);
  REQUIRE(plan["requests"][0]["id"] == "post-message-2");
  CHECK(plan["requests"][0]["probeFirst"] == true);
  CHECK(plan["requests"][0]["path"] == "/sc/v2/apps/{appId}/conversations/c9/messages");
  CHECK(plan["requests"][0]["probe"]["found"]["capture"]["/messages/2"] == "/id");
  CHECK(plan["requests"][1].contains("probeFirst") == false);
  CHECK(plan["requests"].back()["body"]["metadata"]["first_message_id"] == "m1");
}

TEST_CASE("a refused second conversation reuses the caller's conversation, whatever the status", "[plan]") {
  for (int status : {409, 403, 400}) {
    Scenario s;
    s.settings.multi_conversations = false;
    s.zendesk.multi_conversations = false;
    s.zendesk.second_conversation_status = status;
    s.zendesk.second_conversation_code = status == 400 ? "bad_request" : "conversation_limit";
    auto first = s.executor();
    first.run();
    REQUIRE(first.last_plan["done"] == true);
    const std::string existing = s.zendesk.conversations.begin()->first;
    s.zendesk.conversations[existing]["activeSwitchboardIntegration"] = {{"name", "phone-handoff"}};

    Scenario second_call;
    second_call.handoff.call_id = "call-43";
    second_call.settings.multi_conversations = false;
    second_call.zendesk = s.zendesk;
    auto executor = second_call.executor();
    executor.run();
    INFO("status " << status);
    CHECK(executor.last_plan["done"] == true);
    CHECK(second_call.zendesk.conversations.size() == 1);
    CHECK(second_call.zendesk.messages[existing].size() == 8);
    CHECK(executor.last_plan["resolved"]["conversationReused"] == true);
    CHECK(executor.last_plan["resolved"]["conversationId"] == existing);
    CHECK(has_diagnostic(executor.last_plan, "conversation_reused"));
    // Already ours: no passControl to the own integration is needed on the reused conversation.
    CHECK(std::find(executor.steps.begin(), executor.steps.end(), "pass-control-to-integration") == executor.steps.end());
    CHECK(std::find(executor.steps.begin(), executor.steps.end(), "find-reusable-conversation") != executor.steps.end());
  }
}

TEST_CASE("a refusal that is not a conversation limit blocks the handoff with the reason", "[plan]") {
  Scenario s;
  json progress = {{"user", {{"lookup", "found"}, {"externalId", "phone:+15135557611"}}},
                   {"conversation", {{"refusedStatus", 400}, {"refusedCode", "bad_request"},
                                     {"refusedTitle", "Invalid displayName"}}}};
  const json plan = s.plan(progress);
  CHECK(plan["requests"].empty());
  CHECK(plan["done"] == false);
  REQUIRE(has_diagnostic(plan, "conversation_create_refused"));
  CHECK(plan["diagnostics"].back()["severity"] == "error");
  CHECK(plan["diagnostics"].back()["message"].get<std::string>().find("Invalid displayName") != std::string::npos);
}

TEST_CASE("a reused conversation that Agent Workspace holds gets the messages and no passControl", "[plan]") {
  Scenario s;
  json progress = {{"user", {{"lookup", "found"}, {"externalId", "phone:+15135557611"}}},
                   {"conversation", {{"refusedStatus", 409}, {"listed", true},
                                     {"candidates", {{{"id", "old"}, {"type", "personal"}, {"lastUpdatedAt", "2025-01-01T00:00:00.000Z"}},
                                                     {{"id", "newer"}, {"type", "personal"}, {"lastUpdatedAt", "2025-06-01T00:00:00.000Z"},
                                                      {"activeSwitchboardIntegration", {{"name", "zd-agentWorkspace"}, {"integrationType", "zd:agentWorkspace"}}}},
                                                     {{"id", "group"}, {"type", "sdkGroup"}, {"lastUpdatedAt", "2026-01-01T00:00:00.000Z"}}}}}}};
  const json plan = s.plan(progress);
  CHECK(ids_of(plan) == std::vector<std::string>{"post-message-1", "post-message-2", "post-message-3", "post-message-4"});
  CHECK(plan["requests"][0]["path"] == "/sc/v2/apps/{appId}/conversations/newer/messages");
  CHECK(has_diagnostic(plan, "agent_workspace_already_active"));
}

TEST_CASE("an update posts the new summary to the same conversation and updates the ticket fields", "[plan]") {
  Scenario s;
  s.settings.call_id_ticket_field = 360002;
  auto executor = s.executor();
  executor.run();
  REQUIRE(executor.last_plan["done"] == true);
  const std::string conversation_id = executor.progress["conversation"]["id"];

  SECTION("nothing changed: nothing to do") { CHECK(s.plan(executor.progress)["done"] == true); }

  SECTION("a new summary and new field values") {
    Scenario update;
    update.settings = s.settings;
    update.rendered = sample_rendered(3, "Caller wants a refund; AI offered store credit.");
    update.rendered.pass_control_metadata["dataCapture.ticketField.360001"] = "sess-8";
    update.zendesk = s.zendesk;
    const json plan = update.plan(executor.progress);
    const auto ids = ids_of(plan);
    REQUIRE(ids.size() == 3);
    CHECK(ids[0].rfind("post-summary-update-", 0) == 0);
    CHECK(plan["requests"][0]["path"] == "/sc/v2/apps/{appId}/conversations/" + conversation_id + "/messages");
    CHECK(ids[1] == "find-ticket-1");
    CHECK(plan["requests"][1]["path"] == "/api/v2/search.json?query=type%3Aticket%20custom_field_360002%3A%22call-42%22");
    CHECK(plan["requests"][2]["body"] == json{{"ticket", {{"custom_fields", {{{"id", 360001}, {"value", "sess-8"}}, {{"id", 360002}, {"value", "call-42"}}}}}}});

    auto again = update.executor();
    again.progress = executor.progress;
    again.run();
    CHECK(again.last_plan["done"] == true);
    CHECK(update.zendesk.conversations.size() == 1);
    CHECK(update.zendesk.messages[conversation_id].size() == 5);
    CHECK(again.progress["ticket"]["id"] == 555);
    CHECK(std::count(update.zendesk.applied.begin(), update.zendesk.applied.end(), again.steps.back()) == 1);
    CHECK(update.plan(again.progress)["done"] == true);
  }

  SECTION("a longer transcript after the handoff is not posted again") {
    Scenario update;
    update.rendered = sample_rendered(5, "Caller wants a refund; AI offered store credit.");
    const auto ids = ids_of(update.plan(executor.progress));
    REQUIRE(ids.size() == 1);
    CHECK(ids[0].rfind("post-summary-update-", 0) == 0);
  }

  SECTION("without the call id field and ticket id, the fields are reported, not guessed") {
    Scenario update;
    update.rendered = sample_rendered(3);
    update.rendered.pass_control_metadata["dataCapture.ticketField.360001"] = "sess-8";
    const json plan = update.plan(executor.progress);
    CHECK(plan["requests"].empty());
    CHECK(has_diagnostic(plan, "ticket_fields_not_updated"));
  }
}

TEST_CASE("caller matching: none, one, ambiguous", "[plan]") {
  Scenario s;
  s.settings.match_callers = true;

  SECTION("the search comes first, with the national number and a wildcard") {
    const json plan = s.plan(json::object());
    CHECK(plan["requests"][0]["id"] == "search-caller");
    CHECK(plan["requests"][0]["api"] == "support");
    CHECK(plan["requests"][0]["path"] == "/api/v2/search.json?query=type%3Auser%20role%3Aend-user%20phone%3A%2A5135557611");
    // Forecast: the expected path is a caller Support does not know, created straight away.
    CHECK(plan["requests"][1]["id"] == "create-user");
    CHECK(plan["requests"].size() == s.rendered.messages.size() + 5);
  }

  SECTION("none: a phone-only user, no merge") {
    auto executor = s.executor();
    executor.run();
    CHECK(executor.last_plan["done"] == true);
    CHECK(has_diagnostic(executor.last_plan, "caller_match_none"));
    CHECK(s.zendesk.users.count("phone:+15135557611") == 1);
    CHECK(std::find(executor.steps.begin(), executor.steps.end(), "merge-caller") == executor.steps.end());
  }

  SECTION("one without external_id: the new Support user is merged into it, then synced") {
    s.zendesk.support_search_results = {{{"id", 424242}, {"role", "end-user"}, {"external_id", nullptr}}};
    auto executor = s.executor();
    executor.run();
    CHECK(executor.last_plan["done"] == true);
    CHECK(executor.steps[executor.steps.size() - 3] == "read-zendesk-id-1");
    CHECK(executor.steps[executor.steps.size() - 2] == "merge-caller");
    CHECK(executor.steps.back() == "sync-merged-user");
    const json plan = s.plan(json::object());
    (void)plan;
    CHECK(executor.progress["merge"]["status"] == "merged");
    CHECK(executor.progress["merge"]["synced"] == true);
  }

  SECTION("one with external_id: it becomes the messaging externalId, and AW links it") {
    s.zendesk.support_search_results = {{{"id", 424242}, {"role", "end-user"}, {"external_id", "crm/77 A"}}};
    s.zendesk.new_support_user_id = "424242";
    auto executor = s.executor();
    executor.run();
    CHECK(executor.last_plan["done"] == true);
    CHECK(s.zendesk.users.count("crm/77 A") == 1);
    CHECK(executor.last_plan["resolved"]["userExternalId"] == "crm/77 A");
    CHECK(has_diagnostic(executor.last_plan, "caller_linked"));
    CHECK(std::find(executor.steps.begin(), executor.steps.end(), "merge-caller") == executor.steps.end());
  }

  SECTION("ambiguous: nobody is chosen, nothing is merged") {
    s.zendesk.support_search_results = {{{"id", 1}}, {{"id", 2}}};
    auto executor = s.executor();
    executor.run();
    CHECK(executor.last_plan["done"] == true);
    CHECK(has_diagnostic(executor.last_plan, "caller_match_ambiguous"));
    CHECK(s.zendesk.users.count("phone:+15135557611") == 1);
    CHECK(std::find(executor.steps.begin(), executor.steps.end(), "merge-caller") == executor.steps.end());
  }

  SECTION("a refused merge is a diagnostic, not a failed handoff") {
    s.zendesk.support_search_results = {{{"id", 424242}}};
    s.zendesk.merge_status = 422;
    auto executor = s.executor();
    executor.run();
    CHECK(executor.last_plan["done"] == true);
    CHECK(has_diagnostic(executor.last_plan, "caller_merge_refused"));
    CHECK(std::find(executor.steps.begin(), executor.steps.end(), "sync-merged-user") == executor.steps.end());
  }

  SECTION("a Support search that is not allowed does not block the handoff") {
    s.zendesk.search_status = 403;
    auto executor = s.executor();
    executor.run();
    CHECK(executor.last_plan["done"] == true);
    CHECK(has_diagnostic(executor.last_plan, "caller_search_failed"));
  }
}

TEST_CASE("the zendeskId is read with growing delays until the ticket exists, then given up", "[plan]") {
  Scenario s;
  s.settings.match_callers = true;
  json progress = {{"callerSearch", {{"done", true}, {"count", 1}, {"id", 424242}}},
                   {"user", {{"lookup", "created"}, {"externalId", "phone:+15135557611"}}},
                   {"conversation", {{"created", true}, {"id", "c1"}}},
                   {"control", {{"ownIntegration", true}}},
                   {"messages", {{"1", "m1"}, {"2", "m2"}, {"3", "m3"}, {"4", "m4"}}},
                   {"firstMessageId", "m1"},
                   {"handoff", {{"passed", true}}}};
  std::vector<int64_t> delays;
  for (int check = 0; check < 5; ++check) {
    const json plan = s.plan(progress);
    REQUIRE(plan["requests"][0]["id"] == "read-zendesk-id-" + std::to_string(check + 1));
    delays.push_back(plan["requests"][0]["delayMs"]);
    progress["supportLink"]["checks"] = check + 1;  // answered, but no zendeskId yet
  }
  CHECK(delays == std::vector<int64_t>{2000, 4000, 8000, 16000, 32000});
  const json plan = s.plan(progress);
  CHECK(plan["done"] == true);
  CHECK(has_diagnostic(plan, "caller_merge_pending"));
}

TEST_CASE("passControl metadata stays within 4 KB and always keeps first_message_id", "[plan]") {
  Scenario s;
  for (int i = 0; i < 60; ++i)
    s.rendered.pass_control_metadata["dataCapture.ticketField." + std::to_string(500000 + i)] = std::string(80, 'x');
  const json plan = s.plan(json::object());
  const json& metadata = plan["requests"].back()["body"]["metadata"];
  CHECK(metadata.dump().size() - std::string("{firstMessageId}").size() + 24 <= 4096);
  CHECK(metadata.contains("first_message_id"));
  CHECK(metadata.contains("dataCapture.systemField.tags"));
  CHECK(has_diagnostic(plan, "pass_control_metadata_too_large"));
}

TEST_CASE("per-turn messages authored by the caller name the messaging user", "[plan]") {
  Scenario s;
  s.rendered.messages[1]["author"] = {{"type", "user"}, {"userExternalId", "{userExternalId}"}};
  const json plan = s.plan(json::object());
  CHECK(plan["requests"][4]["body"]["author"]["userExternalId"] == "phone:+15135557611");
}

TEST_CASE("a call without a phone gets a user of its own", "[plan]") {
  Scenario s;
  s.handoff.caller.phone.clear();
  s.handoff.call.from.clear();
  s.settings.match_callers = true;
  const json plan = s.plan(json::object());
  CHECK(plan["requests"][0]["id"] == "create-user");
  CHECK(plan["requests"][0]["body"]["externalId"] == "call:call-42");
  CHECK(!plan["requests"][0]["body"].contains("metadata"));
}

TEST_CASE("the plan is deterministic", "[plan]") {
  Scenario s;
  s.settings.match_callers = true;
  const json progress = json::parse(R"({"callerSearch":{"done":true,"count":1,"id":7,"externalId":null},
                                        "user":{"lookup":"missing"}})");
  const std::string a = make_plan(s.handoff, s.settings, s.rendered, progress).dump();
  const std::string b = make_plan(s.handoff, s.settings, s.rendered, json::parse(progress.dump())).dump();
  CHECK(a == b);
}

TEST_CASE("progress written by something else is a usage error naming the pointer", "[plan]") {
  Scenario s;
  try {
    s.plan(json{{"user", {{"lookup", 5}}}});
    FAIL("expected bad_progress");
  } catch (const phone_handoff::UsageError& e) {
    CHECK(e.code == "bad_progress");
    CHECK(std::string(e.what()).find("/user/lookup") != std::string::npos);
  }
  CHECK_THROWS_AS(s.plan(json::array()), phone_handoff::UsageError);
  CHECK_THROWS_AS(s.plan(json{{"user", "found"}}), phone_handoff::UsageError);
}

TEST_CASE("without our own switchboard integration the plan says what it risks", "[plan]") {
  Scenario s;
  s.settings.own_integration.clear();
  const json plan = s.plan(json::object());
  const auto ids = ids_of(plan);
  CHECK(std::find(ids.begin(), ids.end(), "pass-control-to-integration") == ids.end());
  CHECK(has_diagnostic(plan, "own_integration_not_configured"));
}

TEST_CASE("answers without the ids the plan needs are reported, never re-sent", "[plan]") {
  Scenario s;
  json progress = {{"user", {{"lookup", "found"}, {"externalId", "phone:+15135557611"}}},
                   {"conversation", {{"created", true}}}};
  const json blocked = s.plan(progress);
  CHECK(blocked["requests"].empty());
  CHECK(blocked["done"] == false);
  CHECK(has_diagnostic(blocked, "conversation_id_missing"));

  progress["conversation"]["id"] = "c1";
  progress["control"]["ownIntegration"] = true;
  progress["messages"] = {{"1", true}, {"2", "m2"}, {"3", "m3"}, {"4", "m4"}};  // message 1's id was lost
  const json plan = s.plan(progress);
  REQUIRE(ids_of(plan) == std::vector<std::string>{"pass-control-to-agent-workspace"});
  CHECK(!plan["requests"][0]["body"]["metadata"].contains("first_message_id"));
  CHECK(has_diagnostic(plan, "first_message_id_unknown"));
}

TEST_CASE("a refused ticket update is reported once and not retried", "[plan]") {
  Scenario s;
  s.rendered.pass_control_metadata["dataCapture.ticketField.360001"] = "sess-8";
  json progress = {{"user", {{"lookup", "found"}, {"externalId", "phone:+15135557611"}}},
                   {"conversation", {{"created", true}, {"id", "c1"}}},
                   {"control", {{"ownIntegration", true}}},
                   {"messages", {{"1", "m1"}, {"2", "m2"}, {"3", "m3"}, {"4", "m4"}}},
                   {"handoff", {{"passed", true}}},
                   {"ticket", {{"id", 555}}},
                   {"delivered", {{"ticketFields", "stale"}}}};
  // The summary is unchanged: only the fields are new.
  progress["delivered"]["summary"] = s.plan(json::object())["requests"][4]["set"]["/delivered/summary"];
  const json plan = s.plan(progress);
  REQUIRE(plan["requests"].size() == 1);
  const json& update = plan["requests"][0];
  CHECK(update["method"] == "PUT");
  CHECK(update["path"] == "/api/v2/tickets/555");
  plan_test::apply_outcome(progress, update["onStatus"]["422"], json::object());
  const json after = s.plan(progress);
  CHECK(after["requests"].empty());
  CHECK(after["done"] == true);
  CHECK(has_diagnostic(after, "ticket_fields_update_refused"));
}

TEST_CASE("the messaging user: a known caller is found, anyone else created, a conflict read back", "[plan]") {
  Scenario s;
  s.zendesk.users["phone:+15135557611"] = {{"id", "u-old"}, {"externalId", "phone:+15135557611"}};

  SECTION("a caller Support knows is looked up first: no create") {
    s.settings.match_callers = true;
    s.zendesk.support_search_results = {{{"id", 424242}}};
    auto executor = s.executor();
    executor.run();
    CHECK(executor.last_plan["done"] == true);
    REQUIRE(executor.steps.size() >= 2);
    CHECK(executor.steps[0] == "search-caller");
    CHECK(executor.steps[1] == "find-user");
    CHECK(std::find(executor.steps.begin(), executor.steps.end(), "create-user") == executor.steps.end());
    CHECK(executor.progress["user"]["id"] == "u-old");
  }

  SECTION("a returning caller Support does not know: create answers 409, the user is read back") {
    auto executor = s.executor();
    executor.run();
    CHECK(executor.last_plan["done"] == true);
    REQUIRE(executor.steps.size() >= 2);
    CHECK(executor.steps[0] == "create-user");
    CHECK(executor.steps[1] == "find-user-after-conflict");
    CHECK(executor.progress["user"]["id"] == "u-old");
    CHECK(s.zendesk.users.size() == 1);
  }

  SECTION("a first-time caller: one request for the user") {
    s.zendesk.users.clear();
    auto executor = s.executor();
    executor.run();
    CHECK(executor.last_plan["done"] == true);
    CHECK(executor.steps[0] == "create-user");
    CHECK(std::count(executor.steps.begin(), executor.steps.end(), "find-user") == 0);
    CHECK(std::count(executor.steps.begin(), executor.steps.end(), "find-user-after-conflict") == 0);
    CHECK(s.zendesk.users.size() == 1);
  }

  SECTION("created by another worker between our 404 and our create: 409, then read") {
    auto executor = s.executor();
    executor.progress = {{"user", {{"lookup", "missing"}, {"externalId", "phone:+15135557611"}}}};
    executor.run();
    CHECK(executor.last_plan["done"] == true);
    REQUIRE(executor.steps.size() >= 2);
    CHECK(executor.steps[0] == "create-user");
    CHECK(executor.steps[1] == "find-user-after-conflict");
    CHECK(executor.progress["user"]["lookup"] == "found");
    CHECK(s.zendesk.users.size() == 1);
  }
}
