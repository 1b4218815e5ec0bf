#include "adapters/adapter_util.hpp"
#include "adapters/adapters.hpp"
#include "test_adapter_fixtures.hpp"

using namespace phone_handoff;
using namespace phone_handoff::adapters;
using adapter_tests::document;

namespace {

Handoff with_caller_turns(std::initializer_list<const char*> caller_lines) {
  Handoff h;
  h.transcript.push_back({Speaker::ai, "Can I connect you to a person?", 0, {}, {}});  // the AI's words never count
  for (const char* line : caller_lines) h.transcript.push_back({Speaker::caller, line, {}, {}, {}});
  return h;
}

std::optional<ReasonCategory> inferred(std::initializer_list<const char*> caller_lines) {
  Handoff h = with_caller_turns(caller_lines);
  infer_reason(h);
  return h.handoff.reason.category;
}

}  // namespace

TEST_CASE("reason inference: explicit requests for a human", "[adapters]") {
  for (const char* line :
       {"Can I speak to a person?", "Let me talk with your supervisor.", "Just get me a human!",
        "I want a representative.", "Please transfer me to an agent.", "Can I talk to someone?",
        "OPERATOR.", "Is there a real person there?", "Connect me with a manager, please.",
        "I'd like to speak to somebody about this."}) {
    INFO(line);
    Handoff h = with_caller_turns({"Hello.", line});
    infer_reason(h);
    CHECK(h.handoff.reason.category == ReasonCategory::user_request);
    CHECK(h.handoff.reason.caller_asked == line);
  }
}

TEST_CASE("reason inference: no guess without the caller's own words", "[adapters]") {
  CHECK_FALSE(inferred({"I talked to an agent yesterday.", "The person at the store said so."}).has_value());
  CHECK_FALSE(inferred({"I don't need a person, just the tracking number."}).has_value());
  CHECK_FALSE(inferred({"I want to cancel my order."}).has_value());
  CHECK_FALSE(inferred({}).has_value());
}

TEST_CASE("reason inference: frustration words, and explicit categories are kept", "[adapters]") {
  CHECK(inferred({"This is useless."}) == ReasonCategory::frustration);
  CHECK(inferred({"I'm so frustrated with this router"}) == ReasonCategory::frustration);
  CHECK(inferred({"That's ridiculous!", "Get me a supervisor."}) == ReasonCategory::user_request);

  Handoff h = with_caller_turns({"Get me a supervisor."});
  h.handoff.reason.category = ReasonCategory::missing_tools;
  infer_reason(h);
  CHECK(h.handoff.reason.category == ReasonCategory::missing_tools);
  CHECK(h.handoff.reason.caller_asked.empty());
}

TEST_CASE("recognised keys fill the model; other scalars become custom fields, first source wins", "[adapters]") {
  const auto first = document(R"({
    "session_id": "s1", "handoff_reason": "Missing Knowledge", "follow_up_channel": "SMS",
    "follow_up_address": "+15550009999", "sentiment": "Positive", "caller_name": "Ana",
    "session_url": "https://app.example/s1", "order_id": "1234", "nested": {"a": 1}, "list": [1],
    "nothing": null})");
  const auto second = document(R"({"session_id": "s2", "order_id": "9999", "vip": false})");
  Errors errors;
  Handoff h;
  read_key_values(Field::root(first.root(), errors), h);
  read_key_values(Field::root(second.root(), errors), h);
  CHECK(errors.empty());
  CHECK(h.session_id == "s1");
  CHECK(h.handoff.reason.category == ReasonCategory::missing_knowledge);
  CHECK(h.handoff.follow_up.channel == FollowUpChannel::sms);
  CHECK(h.handoff.follow_up.address == "+15550009999");
  CHECK(h.handoff.sentiment == Sentiment::happy);
  CHECK(h.caller.name == "Ana");
  CHECK(h.call.session_url == "https://app.example/s1");
  const std::map<std::string, nlohmann::json> expected = {{"order_id", "1234"}, {"vip", false}};
  CHECK(h.custom_fields == expected);
}

TEST_CASE("recognised keys with unusable values are errors at their pointer", "[adapters]") {
  const auto doc = document(
      R"({"meta/data": {"org_id": 42, "follow_up_channel": "pigeon", "sentiment": "meh"}})");
  Errors errors;
  Handoff h;
  read_key_values(Field::root(doc.root(), errors)["meta/data"], h);
  REQUIRE(errors.size() == 3);  // in key order: nlohmann::json keeps object members sorted
  CHECK(errors[0].pointer == "/meta~1data/follow_up_channel");
  CHECK(errors[0].message == "'pigeon' is not a follow-up channel (use email, sms or callback)");
  CHECK(errors[1].pointer == "/meta~1data/org_id");
  CHECK(errors[1].message == "must be a string, not a number");
  CHECK(errors[2].message == "'meh' is not a sentiment (use angry, neutral or happy)");
}

TEST_CASE("short_text collapses whitespace and never cuts inside a UTF-8 character", "[adapters]") {
  CHECK(short_text("  a \n\t b  ") == "a b");
  CHECK(short_text("ééé", 5) == "éé\xE2\x80\xA6");  // 2 bytes each: the third does not fit
  CHECK(short_text("abcdef", 6) == "abcdef");
  CHECK(short_text("abcdefg", 6) == "abcdef\xE2\x80\xA6");
}

TEST_CASE("pointer tokens, SIP destinations and time fields", "[adapters]") {
  CHECK(pointer_token("a/b~c") == "a~1b~0c");
  CHECK(transfer_destination_text("sip:tier2@pbx.example;transport=tls") == "sip:tier2@pbx.example");
  CHECK(transfer_destination_text("SIPS:desk@pbx.example;transport=tcp") == "SIPS:desk@pbx.example");
  CHECK(transfer_destination_text("+15550100200") == "+15550100200");

  const auto doc = document(
      R"({"s": 1.2345, "m": 0.75, "neg": -1, "iso": "2026-01-01T00:01:02+01:00", "bad": "noon", "big": 1e300})");
  Errors errors;
  const Field root = Field::root(doc.root(), errors);
  CHECK(seconds_as_ms(root["s"]) == 1235);  // rounded to the nearest ms
  CHECK(minutes_as_ms(root["m"]) == 45000);
  CHECK(iso_time_ms(root["iso"]) == 1767225662000 - 3600000);
  CHECK(epoch_ms_or_iso(root["iso"]) == 1767225662000 - 3600000);
  CHECK_FALSE(seconds_as_ms(root["absent"]).has_value());
  CHECK(errors.empty());
  CHECK_FALSE(seconds_as_ms(root["neg"]).has_value());
  CHECK_FALSE(iso_time_ms(root["bad"]).has_value());
  CHECK_FALSE(epoch_ms(root["big"]).has_value());
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].pointer == "/neg");
  CHECK(errors[0].message == "must not be negative");
  CHECK(errors[1].pointer == "/bad");
  CHECK(errors[2].message == "is out of range");
}

TEST_CASE("follow-up inference: the caller's own words, logged escalations only", "[adapters]") {
  auto follow_up_of = [](std::initializer_list<const char*> lines, Mode mode = Mode::logged_escalation) {
    Handoff h = with_caller_turns(lines);
    h.caller.phone = "+15550009999";
    h.caller.email = "dana@example.com";
    h.handoff.mode = mode;
    infer_follow_up(h);
    return h.handoff.follow_up;
  };
  auto f = follow_up_of({"Could someone call me back tomorrow?"});
  CHECK(f.channel == FollowUpChannel::callback);
  CHECK(f.address == "+15550009999");
  f = follow_up_of({"Just email me the details."});
  CHECK(f.channel == FollowUpChannel::email);
  CHECK(f.address == "dana@example.com");
  f = follow_up_of({"Email me.", "Actually, send me a text instead."});  // the latest preference
  CHECK(f.channel == FollowUpChannel::sms);
  CHECK(f.address == "+15550009999");
  CHECK_FALSE(follow_up_of({"I'll call back later."}).channel.has_value());
  CHECK_FALSE(follow_up_of({"Call me back."}, Mode::live_transfer).channel.has_value());

  Handoff given = with_caller_turns({"Call me back."});
  given.handoff.follow_up.channel = FollowUpChannel::email;
  infer_follow_up(given);
  CHECK(given.handoff.follow_up.channel == FollowUpChannel::email);  // explicit beats inferred
  CHECK(given.handoff.follow_up.address.empty());
}

TEST_CASE("a document with thousands of bad entries gets the first 100 problems and a note", "[adapters]") {
  nlohmann::json doc = {{"message", {{"type", "end-of-call-report"}, {"call", {{"id", "c1"}}}}}};
  auto& messages = doc["message"]["artifact"]["messages"];
  for (int i = 0; i < 5000; ++i) messages.push_back({{"role", "user"}, {"message", i}});
  Handoff h;
  Errors errors;
  CHECK_FALSE(adapters::vapi(json_reader::Document::from(doc).root(), h, errors));
  REQUIRE(errors.size() == 101);
  CHECK(errors[0].pointer == "/message/artifact/messages/0/message");
  CHECK(errors[99].pointer == "/message/artifact/messages/99/message");
  CHECK(errors[100].pointer == "");
  CHECK(errors[100].message == "more problems than these: only the first 100 are listed");
}
