// The sidebar's `conversation` op: the call behind a ticket, read back from the messages render
// posted (packed transcript lines, split turns, the metadata turn table, the summary text).
#include <algorithm>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "phone_handoff/api.hpp"
#include "sidebar/stable_order.hpp"
#include "sidebar/summary_text.hpp"
#include "sidebar/text_util.hpp"
#include "sidebar/transcript_lines.hpp"
#include "test_ingest_support.hpp"

using nlohmann::json;

namespace {

json run(const json& conversation, const json& config = json::object()) {
  return json::parse(phone_handoff::call("conversation", {conversation.dump(), config.dump()}));
}

// One entry the way ZAF's ticket.conversation gives it.
json message(const std::string& text, const json& metadata = json::object(),
             const std::string& role = "business", const std::string& name = "Phone handoff") {
  json m = {{"author", {{"role", role}, {"name", name}}},
            {"message", {{"content", text}, {"contentType", "text/plain"}}},
            {"timestamp", "2026-01-01T00:05:00.000Z"}};
  if (!metadata.empty()) m["metadata"] = metadata;
  return m;
}

const char* kSummary =
    "AI phone call handed off (live transfer)\n"
    "Caller asked for: a refund for order 1234\n"
    "AI could not resolve: refunds over $100 need a human\n"
    "Reason: missing_tools\n"
    "Mode: Live transfer\n"
    "Transfer to: +15550100200\n"
    "Caller: Jane Doe, +15550009999, jane@example.com\n"
    "Started: 2026-01-01T00:01:02.000Z\n"
    "Duration: 2:05\n"
    "Sentiment: angry\n"
    "Session: https://app.example/sessions/sess_1\n"
    "Recording: https://rec.example/r/1.wav\n";

}  // namespace

TEST_CASE("a packed transcript with a summary becomes the call", "[sidebar]") {
  json conversation = json::array({
      message("Hi, I need help", json::object(), "end-user", "Jane Doe"),
      message(kSummary, {{"phone_handoff_kind", "summary"}, {"opencx_session_id", "sess_1"}}),
      message("[00:01] Ava: Thanks for calling Northwind, how can I help?\n"
              "[00:04] Jane Doe: I want a refund for order 1234.\n"
              "[00:09] Ava: Let me transfer you to a colleague.",
              {{"phone_handoff_kind", "transcript"}}),
  });
  json r = run(conversation);
  REQUIRE(r["isHandoff"] == true);
  const json& s = r["summary"];
  CHECK(s["askedFor"] == "a refund for order 1234");
  CHECK(s["unresolved"] == "refunds over $100 need a human");
  CHECK(s["reason"] == "missing_tools");
  CHECK(s["mode"] == "live_transfer");
  CHECK(s["destination"] == "+15550100200");
  CHECK(s["caller"]["name"] == "Jane Doe");
  CHECK(s["caller"]["phone"] == "+15550009999");
  CHECK(s["caller"]["email"] == "jane@example.com");
  CHECK(s["startedAt"] == "2026-01-01T00:01:02.000Z");
  CHECK(s["durationSeconds"] == 125);
  CHECK(s["sentiment"] == "angry");
  CHECK(s["sessionId"] == "sess_1");
  CHECK(s["sessionUrl"] == "https://app.example/sessions/sess_1");
  CHECK(s["recordingUrl"] == "https://rec.example/r/1.wav");

  REQUIRE(r["turns"].size() == 3);
  CHECK(r["turns"][0]["speaker"] == "ai");
  CHECK(r["turns"][0]["speakerName"] == "Ava");
  CHECK(r["turns"][0]["startMs"] == 1000);
  CHECK(r["turns"][1]["speaker"] == "caller");   // the caller's name from the summary
  CHECK(r["turns"][1]["text"] == "I want a refund for order 1234.");
  CHECK(r["turns"][2]["speaker"] == "ai");
  CHECK(r["stats"]["turnCount"] == 3);
  CHECK(r["stats"]["estimated"] == true);        // no end times without the metadata table
  CHECK(r["stats"]["aiTalkMs"] == 3000);
  CHECK(r["stats"]["callerTalkMs"] == 5000);
}

TEST_CASE("the metadata turn table gives exact times and speakers, and split turns re-join", "[sidebar]") {
  json part1 = message(
      "[00:01] Ava: Hello there.\n"
      "[00:03] Caller: I have a very long question that was\n"
      "[00:03] Caller: split over two lines by the writer.\n"
      "[00:20] Ava: And this answer continues",
      {{"phone_handoff_kind", "transcript"}, {"phone_handoff_part", 1}, {"phone_handoff_parts", 2},
       {"phone_handoff_call_id", "call_1"},
       {"phone_handoff_turns", "0:a:1400:2900;1:c:3000:15000;2:a:20000:"}});
  json part2 = message(
      "[00:20] Ava: into the next message.\n"
      "[00:40] Caller: Thanks.",
      {{"phone_handoff_kind", "transcript"}, {"phone_handoff_part", "2"}, {"phone_handoff_parts", 2},
       {"phone_handoff_call_id", "call_1"},
       {"phone_handoff_turns", "2:a:20000:31000;3:c:40000:41000"}});
  // Delivered out of order: the part numbers put them back.
  json r = run(json::array({part2, part1}));
  REQUIRE(r["isHandoff"] == true);
  CHECK(r["callId"] == "call_1");
  REQUIRE(r["turns"].size() == 4);
  CHECK(r["turns"][0]["startMs"] == 1400);
  CHECK(r["turns"][0]["endMs"] == 2900);
  CHECK(r["turns"][1]["speaker"] == "caller");
  CHECK(r["turns"][1]["text"] == "I have a very long question that was split over two lines by the writer.");
  CHECK(r["turns"][2]["seq"] == 2);
  CHECK(r["turns"][2]["text"] == "And this answer continues into the next message.");
  CHECK(r["turns"][2]["endMs"] == 31000);   // the later table entry completes the time
  CHECK(r["turns"][3]["seq"] == 3);
  CHECK(r["stats"]["aiTalkMs"] == 1500 + 11000);
  CHECK(r["stats"]["callerTalkMs"] == 12000 + 1000);
  CHECK(r["stats"]["longestSilenceMs"] == 9000);
  CHECK(r["summary"]["durationSeconds"] == 41);
}

TEST_CASE("a logged escalation with an SMS follow-up gets a one-click sms: action", "[sidebar]") {
  json summary = message(
      "- **Caller asked for:** change delivery address\n"
      "- **AI could not resolve:** address changes after dispatch\n"
      "- **Mode:** Logged escalation\n"
      "- **Follow-up:** SMS to +1 555 000 9999\n"
      "- **Sentiment:** neutral\n");
  json r = run(json::array({summary}));
  REQUIRE(r["isHandoff"] == true);
  CHECK(r["summary"]["mode"] == "logged_escalation");
  CHECK(r["summary"]["followUp"]["channel"] == "sms");
  CHECK(r["summary"]["followUp"]["address"] == "+1 555 000 9999");
  CHECK(r["summary"]["followUp"]["href"] == "sms:+15550009999");
  CHECK(r["turns"].empty());

  json email = run(json::array({message("Caller asked for: x\nMode: logged escalation\nFollow-up: email jane@example.com")}));
  CHECK(email["summary"]["followUp"]["href"] == "mailto:jane@example.com");
  json callback = run(json::array({message("Caller asked for: x\nMode: logged escalation\nCallback: +15550009999")}));
  CHECK(callback["summary"]["followUp"]["href"] == "tel:+15550009999");
  json bad = run(json::array({message("Caller asked for: x\nMode: logged escalation\nFollow-up: email x@y.z?cc=evil@example.com")}));
  CHECK_FALSE(bad["summary"]["followUp"].contains("href"));
}

TEST_CASE("hostile text stays text and only http(s) links survive", "[sidebar]") {
  json summary = message(
      "Caller asked for: <script>alert(1)</script>\n"
      "Mode: live transfer\n"
      "Session: javascript:alert(1)\n"
      "Recording: data:text/html,<b>x</b>\n",
      {{"phone_handoff_kind", "summary"}, {"phone_handoff_session_url", "javascript:alert(2)"}});
  json transcript = message("[00:01] Ava: <img src=x onerror=alert(1)>\n[00:02] Caller: 4111 **** **** 1111",
                            {{"phone_handoff_kind", "transcript"}});
  json r = run(json::array({summary, transcript}));
  CHECK(r["summary"]["askedFor"] == "<script>alert(1)</script>");
  CHECK_FALSE(r["summary"].contains("sessionUrl"));
  CHECK_FALSE(r["summary"].contains("recordingUrl"));
  CHECK(r["turns"][0]["text"] == "<img src=x onerror=alert(1)>");
  CHECK(r["turns"][1]["text"] == "4111 **** **** 1111");   // masked as delivered
}

TEST_CASE("tool calls are read at their time, not as turns", "[sidebar]") {
  json r = run(json::array({message(
      "[00:01] Ava: Let me look that up.\n[00:02] Tool lookup_order: found order 1234\n[00:05] Caller: ok",
      {{"phone_handoff_kind", "transcript"}})}));
  REQUIRE(r["toolCalls"].size() == 1);
  CHECK(r["toolCalls"][0]["name"] == "lookup_order");
  CHECK(r["toolCalls"][0]["atMs"] == 2000);
  CHECK(r["toolCalls"][0]["result"] == "found order 1234");
  CHECK(r["turns"].size() == 2);
}

TEST_CASE("the session link comes from the template when the summary has none", "[sidebar]") {
  json r = run(json::array({message("Caller asked for: x\nMode: live transfer")}),
               {{"sessionId", "a b/1"}, {"sessionUrlTemplate", "https://app.example/s/{session_id}"},
                {"requester", {{"name", "Jane"}}}});
  CHECK(r["summary"]["sessionUrl"] == "https://app.example/s/a%20b%2F1");
  CHECK(r["summary"]["caller"]["name"] == "Jane");
  // A summary that names the caller is not mixed with the requester's details.
  json named = run(json::array({message("Caller asked for: x\nMode: live transfer\nCaller: Sam, +15550001234")}),
                   {{"requester", {{"name", "Jane"}, {"email", "jane@example.com"}}}});
  CHECK(named["summary"]["caller"] == json{{"name", "Sam"}, {"phone", "+15550001234"}});
  json custom = run(json::array({message("Caller asked for: x\nMode: live transfer",
                                         {{"phone_handoff_kind", "summary"}, {"acme_session_id", "s9"}})}),
                    {{"tagPrefix", "acme"}});
  CHECK(custom["summary"]["sessionId"] == "s9");
}

TEST_CASE("a ticket without a phone handoff is not one, without errors", "[sidebar]") {
  json ordinary = json::array({message("Hello, where is my order?", json::object(), "end-user", "Bob"),
                               message("It ships tomorrow. Name: Bob", json::object(), "agent", "Rep")});
  CHECK(run(ordinary) == json{{"isHandoff", false}});
  CHECK(run(json::array()) == json{{"isHandoff", false}});
  // An end user typing our format is not a transcript.
  CHECK(run(json::array({message("[00:01] Ava: fake", json::object(), "end-user")})) == json{{"isHandoff", false}});
  // The ZAF reply object is accepted as well as the bare array.
  json wrapped = {{"ticket.conversation", json::array({message(kSummary)})}};
  CHECK(run(wrapped)["isHandoff"] == true);
}

TEST_CASE("bad payloads are results, bad config is a usage error", "[sidebar]") {
  json notJson = json::parse(phone_handoff::call("conversation", {"{nope"}));
  CHECK(notJson["isHandoff"] == false);
  CHECK(notJson["errors"][0]["message"] == "the ticket conversation is not valid JSON");
  json notArray = json::parse(phone_handoff::call("conversation", {"{\"x\":1}"}));
  CHECK(notArray["errors"].size() == 1);
  json skipped = run(json::array({42, message(kSummary)}));
  CHECK(skipped["isHandoff"] == true);
  CHECK(skipped["warnings"][0]["pointer"] == "/0");
  json bad = json::parse(phone_handoff::call("conversation", {"[]", "{\"tagPrefix\":\"a b\"}"}));
  CHECK(bad["error"]["code"] == "bad_config");
  json badType = json::parse(phone_handoff::call("conversation", {"[]", "[1]"}));
  CHECK(badType["error"]["code"] == "bad_config");
}

TEST_CASE("line, table and duration readers", "[sidebar]") {
  using namespace phone_handoff::sidebar;
  auto line = parse_transcript_line("[1:02:03] Ava: hi: there");
  REQUIRE(line);
  CHECK(line->offset_ms == 3723000);
  CHECK(line->speaker_label == "Ava");
  CHECK(line->text == "hi: there");
  CHECK_FALSE(parse_transcript_line("[01:75] Ava: x"));
  CHECK_FALSE(parse_transcript_line("no stamp: here"));
  auto table = parse_turn_table("0:a:1:2;bad;1:c::;2:x:5:6");
  REQUIRE(table.size() == 3);
  CHECK_FALSE(table[1].start_ms);
  CHECK_FALSE(table[2].speaker);
  CHECK(parse_duration_seconds("3m 25s") == 205);
  CHECK(parse_duration_seconds("1h 2m") == 3720);
  CHECK(parse_duration_seconds("205") == 205);
  CHECK(parse_duration_seconds("1:00:01") == 3601);
  CHECK_FALSE(parse_duration_seconds("soon"));
}

TEST_CASE("a ticket with two calls shows the latest, or the one the ticket field names", "[sidebar]") {
  auto call = [](const std::string& id, const std::string& line) {
    return json::array({message("Caller asked for: " + id + "\nMode: live transfer",
                                {{"phone_handoff_kind", "summary"}, {"phone_handoff_call_id", id}}),
                        message(line, {{"phone_handoff_kind", "transcript"}, {"phone_handoff_call_id", id}})});
  };
  json conversation = call("first", "[00:01] Ava: one");
  for (const json& m : call("second", "[00:01] Ava: two")) conversation.push_back(m);
  json latest = run(conversation);
  CHECK(latest["callId"] == "second");
  CHECK(latest["summary"]["askedFor"] == "second");
  REQUIRE(latest["turns"].size() == 1);
  CHECK(latest["turns"][0]["text"] == "two");
  json named = run(conversation, {{"callId", "first"}});
  CHECK(named["summary"]["askedFor"] == "first");
  CHECK(named["turns"][0]["text"] == "one");
  CHECK(run(conversation, {{"callId", "unknown"}})["callId"] == "second");
}

// ---- Round trip: what render posts is what the sidebar reads back --------------------------------

namespace {

std::string collapse_spaces(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Render's Sunshine messages as Zendesk shows them to the sidebar (ticket.conversation).
json as_ticket_conversation(const json& rendered) {
  json conversation = json::array();
  for (const json& m : rendered["messages"]) {
    const bool business = m["author"]["type"] == "business";
    json entry = message(m["content"]["text"].get<std::string>(), m.value("metadata", json::object()),
                         business ? "agent" : "end-user",
                         business ? m["author"].value("displayName", "") : "Caller");
    conversation.push_back(entry);
  }
  return conversation;
}

void check_round_trip(const std::string& fixture, const std::string& style) {
  INFO(fixture << " rendered " << style);
  const json parsed = json::parse(phone_handoff::call("parse", {"canonical", ingest_tests::fixture_text(fixture)}));
  REQUIRE(parsed.contains("handoff"));
  const json& h = parsed["handoff"];
  const json config = {{"transcriptStyle", style}, {"redaction", false}};
  const json rendered = json::parse(phone_handoff::call("render", {h.dump(), config.dump()}));
  REQUIRE(rendered.contains("messages"));
  const json view = run(as_ticket_conversation(rendered));
  REQUIRE(view["isHandoff"] == true);
  CHECK(view["callId"] == h["call_id"]);

  const json& s = view["summary"];
  const json& d = h["handoff"];
  CHECK(s["mode"] == d["mode"]);
  if (d.contains("reason")) {
    CHECK(s.value("askedFor", "") == collapse_spaces(d["reason"].value("caller_asked", "")));
    CHECK(s.value("unresolved", "") == collapse_spaces(d["reason"].value("ai_unresolved", "")));
    if (d["reason"].contains("category")) CHECK(s["reasonCategory"] == d["reason"]["category"]);
  }
  if (d.contains("follow_up")) {
    CHECK(s["followUp"]["channel"] == d["follow_up"]["channel"]);
    CHECK(s["followUp"]["address"] == d["follow_up"]["address"]);
    CHECK(s["followUp"].contains("href"));
  }
  if (d.contains("transfer_destination")) CHECK(s["destination"] == d["transfer_destination"]);
  if (d.contains("sentiment")) CHECK(s["sentiment"] == d["sentiment"]);
  if (h["call"].contains("started_at")) CHECK(s["startedAt"] == h["call"]["started_at"]);
  if (h["call"].contains("session_url")) CHECK(s["sessionUrl"] == h["call"]["session_url"]);
  if (h["call"].contains("recording_url")) CHECK(s["recordingUrl"] == h["call"]["recording_url"]);
  if (h.contains("session_id")) CHECK(s["sessionId"] == h["session_id"]);
  if (h.contains("caller") && h["caller"].contains("name")) CHECK(s["caller"]["name"] == h["caller"]["name"]);

  std::vector<json> spoken;
  for (const json& t : h["transcript"])
    if (!collapse_spaces(t.value("text", "")).empty()) spoken.push_back(t);
  REQUIRE(view["turns"].size() == spoken.size());
  for (size_t i = 0; i < spoken.size(); ++i) {
    const json& got = view["turns"][i];
    INFO("turn " << i);
    CHECK(got["speaker"] == spoken[i]["speaker"]);
    CHECK(got["text"] == collapse_spaces(spoken[i]["text"].get<std::string>()));
    CHECK(got.value("startMs", json()) == spoken[i].value("start_ms", json()));
    CHECK(got.value("endMs", json()) == spoken[i].value("end_ms", json()));
  }
  CHECK(view["toolCalls"].size() == h.value("tool_calls", json::array()).size());
  CHECK(view["stats"]["turnCount"] == spoken.size());
}

}  // namespace

TEST_CASE("render's messages read back into the same call (packed and per-turn)", "[sidebar]") {
  for (const char* fixture : {"canonical/short-call.json", "canonical/logged-escalation-sms.json",
                              "canonical/long-call-400-turns.json"}) {
    check_round_trip(fixture, "packed");
    check_round_trip(fixture, "per-turn");
  }
}

TEST_CASE("odd lines and tables never break the reader", "[sidebar]") {
  const std::vector<std::string> lines = {
      "[", "[1", "[]", "[99:99] A: x", "[00:01]", "[00:01] :", "[00:01] A:", "[00:01] A: ", "[--:--] Tool",
      "[--:--] Tool:", "[--:--] Tool: ", "[1:2:3:4] A: x", "[123456789012:00] A: x", "Caller asked for:", ":",
      "Mode:", "Duration: 99999999999999999999", "Call: , , started", "Follow-up:", "Follow-up: sms", "Caller: ,,,",
      "View session: https://", "[00:01] Tool call : x", "\xE2\x80\xA2 **:**"};
  const std::vector<std::string> tables = {"", ";", "::::;;;", "0:a:999999999999:1", "x:a:1:2", "0:a:-5:3",
                                           "0:a:1:2;0:c:3:4;0:h:5:6", "99999999999:a:1:2"};
  for (const std::string& table : tables) {
    for (size_t i = 0; i < lines.size(); ++i) {
      const std::string text = lines[i] + "\n" + lines[(i * 7 + 3) % lines.size()] + "\n[00:02] Ava: ok";
      for (const char* kind : {"transcript", "summary", ""}) {
        json meta = {{"phone_handoff_turns", table}};
        if (*kind) meta["phone_handoff_kind"] = kind;
        INFO(text << " | " << table << " | " << kind);
        const json r = run(json::array({message(text, meta), message(lines[i], meta)}));
        CHECK_FALSE(r.contains("error"));
        CHECK(r["isHandoff"].is_boolean());
      }
    }
  }
}

TEST_CASE("pieces between separators and the shared stable sort", "[sidebar]") {
  using namespace phone_handoff::sidebar;
  const auto pieces = [](std::string_view text, char separator) {
    std::vector<std::string> out;
    Pieces p(text, separator);
    for (std::string_view piece; p.next(piece);) out.emplace_back(piece);
    return out;
  };
  CHECK(pieces("a,,b", ',') == std::vector<std::string>{"a", "", "b"});
  CHECK(pieces("", ',') == std::vector<std::string>{""});
  CHECK(pieces("a,", ',') == std::vector<std::string>{"a", ""});
  CHECK(pieces(",", ',') == std::vector<std::string>{"", ""});

  // Whatever the input, the same order as std::stable_sort by the same key.
  std::mt19937 random(8);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::pair<int64_t, int>> items;
    const int size = static_cast<int>(random() % 40);
    for (int i = 0; i < size; ++i) items.emplace_back(static_cast<int64_t>(random() % 6) - 3, i);
    auto expected = items;
    std::stable_sort(expected.begin(), expected.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    stable_sort_by(items, [](const std::pair<int64_t, int>& item) { return item.first; });
    CHECK(items == expected);
  }
}
