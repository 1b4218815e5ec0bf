#include <catch2/catch.hpp>

#include "redact.hpp"
#include "test_render_support.hpp"
#include "test_support.hpp"

using namespace phone_handoff;
using test_support::redacted;

namespace {

// Redacts turns as one conversation.
std::vector<std::string> conversation(const std::vector<std::string>& turns, RedactionCounts* counts_out = nullptr,
                                      RedactionSettings settings = RedactionSettings{}) {
  Redactor r(settings);
  std::vector<std::string> out;
  for (const auto& t : turns) out.push_back(r.next_turn(t));
  if (counts_out) *counts_out = r.counts();
  return out;
}

}  // namespace

TEST_CASE("redact: card numbers in digits, with spaces or dashes, Luhn-checked", "[render]") {
  RedactionCounts c;
  CHECK(redacted("my card is 4111 1111 1111 1111 thanks", &c) == "my card is [card ending 1111] thanks");
  CHECK(c.card == 1);
  CHECK(redacted("5500-0000-0000-0004") == "[card ending 0004]");
  CHECK(redacted("amex 378282246310005.") == "amex [card ending 0005].");
  CHECK(redacted("4111111111111111") == "[card ending 1111]");
  CHECK(redacted("diners 3056 9309 0259 04") == "diners [card ending 5904]");   // 14 digits
}

TEST_CASE("redact: a 16-digit number that fails Luhn is not a card", "[render]") {
  RedactionCounts c;
  CHECK(redacted("tracking 4111 1111 1111 1112", &c) == "tracking 4111 1111 1111 1112");
  CHECK(c.card == 0);
  CHECK(redacted("call +1 555 010 0200 or 555 010 0300") == "call +1 555 010 0200 or 555 010 0300");
}

TEST_CASE("redact: card numbers read out as words", "[render]") {
  RedactionCounts c;
  CHECK(redacted("It's four one one one, one one one one, one one one one, one one one one.", &c) ==
        "It's [card ending 1111].");
  CHECK(c.card == 1);
  // "oh" for zero, "double"/"triple", and digits mixed with words.
  CHECK(redacted("five five oh oh, double oh triple oh, oh oh oh oh, oh oh oh four") == "[card ending 0004]");
  CHECK(redacted("4111 one one one one 1111 one one one one") == "[card ending 1111]");
  // Oh as an interjection is not part of the number.
  CHECK(redacted("Oh, 4111 1111 1111 1111") == "Oh, [card ending 1111]");
  // Words that fail Luhn stay.
  CHECK(redacted("four one one one one one one one one one one one one one one two") ==
        "four one one one one one one one one one one one one one one two");
}

TEST_CASE("redact: security code and expiry near a card", "[render]") {
  RedactionCounts c;
  CHECK(redacted("4111 1111 1111 1111 expires 12/27 and the code is 123", &c) ==
        "[card ending 1111] expires [card expiry] and the code is [card security code]");
  CHECK(c.card == 1);
  CHECK(c.card_expiry == 1);
  CHECK(c.card_security_code == 1);
  // Read in one go, with the code straight after the number.
  CHECK(redacted("four one one one, one one one one, one one one one, one one one one, one two three") ==
        "[card ending 1111], [card security code]");

  const auto turns = conversation({"Card number please.", "four one one one one one one one one one one one one one one one",
                                   "Thanks. Expiry and the three digits on the back?",
                                   "twelve twenty seven, and it's seven three seven"}, &c);
  CHECK(turns[1] == "[card ending 1111]");
  CHECK(turns[3] == "[card expiry], and it's [card security code]");
  CHECK(c.card_expiry == 1);
  CHECK(c.card_security_code == 1);
}

TEST_CASE("redact: codes and expiries after keywords, even without a card", "[render]") {
  CHECK(conversation({"What is the CVV?", "it's 4 4 2"})[1] == "it's [card security code]");
  CHECK(redacted("security code one twenty three") == "security code [card security code]");
  CHECK(redacted("expiration December twenty twenty seven") == "expiration [card expiry]");
  CHECK(redacted("it expires oh five twenty eight") == "it expires [card expiry]");
  CHECK(redacted("valid thru 05/2028") == "valid thru [card expiry]");
}

TEST_CASE("redact: numbers far from any card are left alone", "[render]") {
  CHECK(redacted("order 1234 shipped on 12/27") == "order 1234 shipped on 12/27");
  const auto turns = conversation({"4111 1111 1111 1111", "ok", "ok", "ok", "my order is 5521"});
  CHECK(turns[4] == "my order is 5521");
  CHECK(redacted("4111 1111 1111 1111, that's $250") == "[card ending 1111], that's $250");
}

TEST_CASE("redact: US SSNs with the invalid-area rules, keeping the last four", "[render]") {
  RedactionCounts c;
  CHECK(redacted("SSN 123-45-6789.", &c) == "SSN [SSN ending 6789].");
  CHECK(c.ssn == 1);
  CHECK(redacted("it's 123 45 6789") == "it's [SSN ending 6789]");
  CHECK(redacted("one two three four five six seven eight nine") == "[SSN ending 6789]");
  CHECK(redacted("it's one two three dash four five dash six seven eight nine.") == "it's [SSN ending 6789].");
  CHECK(redacted("my social is 123456789") == "my social is [SSN ending 6789]");
  CHECK(redacted("ref 123456789") == "ref 123456789");   // bare 9 digits without context
  for (const char* invalid : {"000-12-3456", "666-12-3456", "912-34-5678", "123-00-4567", "123-45-0000"})
    CHECK(redacted(invalid) == invalid);
}

TEST_CASE("redact: each category can be turned off", "[render]") {
  RedactionSettings no_cards;
  no_cards.cards = false;
  RedactionCounts c;
  // The card is still seen (so its code is masked) but stays as spoken.
  CHECK(redacted("4111 1111 1111 1111 cvv 123", &c, no_cards) == "4111 1111 1111 1111 cvv [card security code]");
  CHECK(c.card == 0);
  RedactionSettings no_codes;
  no_codes.card_security_codes = false;
  CHECK(redacted("4111 1111 1111 1111 cvv 123 exp 12/27", nullptr, no_codes) == "[card ending 1111] cvv 123 exp 12/27");
  RedactionSettings no_ssn;
  no_ssn.ssn = false;
  CHECK(redacted("123-45-6789", nullptr, no_ssn) == "123-45-6789");
}

TEST_CASE("redact: redacting twice changes nothing", "[render]") {
  const std::string once = redacted("card 4111 1111 1111 1111 exp 12/27 cvv 123, ssn 123-45-6789");
  RedactionCounts c;
  CHECK(redacted(once, &c) == once);
  CHECK(c.card + c.card_expiry + c.card_security_code + c.ssn == 0);
}

TEST_CASE("redact: a whole handoff (transcript, summary, reasons, tools, custom fields)", "[render]") {
  Handoff h = render_test::live_transfer();
  h.transcript.push_back({Speaker::caller, "It's 4111 1111 1111 1111.", 9000, 9500, std::nullopt});
  h.transcript.push_back({Speaker::ai, "And the security code?", 9600, 9800, std::nullopt});
  h.transcript.push_back({Speaker::caller, "three three three", 9900, 9990, std::nullopt});
  h.handoff.summary = "Caller read card 5500 0000 0000 0004 aloud.";
  h.handoff.reason.caller_asked = "Update SSN 123-45-6789";
  h.tool_calls = {{"charge", 9000, "declined for 4111111111111111"}};
  h.custom_fields["card"] = "4111-1111-1111-1111";
  h.custom_fields["priority"] = 2;
  h.custom_fields["card_number"] = 5500000000000004;
  const RedactionCounts c = redact_handoff(h, RedactionSettings{});
  CHECK(h.transcript[3].text == "It's [card ending 1111].");
  CHECK(h.transcript[5].text == "[card security code]");
  CHECK(h.handoff.summary == "Caller read card [card ending 0004] aloud.");
  CHECK(h.handoff.reason.caller_asked == "Update SSN [SSN ending 6789]");
  CHECK(h.tool_calls[0].result == "declined for [card ending 1111]");
  CHECK(h.custom_fields["card"] == "[card ending 1111]");
  CHECK(h.custom_fields["priority"] == 2);
  CHECK(h.custom_fields["card_number"] == "[card ending 0004]");
  CHECK(c.card == 5);
  CHECK(c.card_security_code == 1);
  CHECK(c.ssn == 1);
  CHECK(redaction_counts_to_json(c).dump() == R"({"card":5,"card_security_code":1,"card_expiry":0,"ssn":1})");
}

TEST_CASE("redact: one long turn full of card numbers masks every one", "[render]") {
  std::string turn;
  for (int i = 0; i < 20000; ++i) turn += "4111 1111 1111 1111 ";
  RedactionCounts c;
  const std::string out = redacted(turn, &c);
  CHECK(c.card == 20000);
  CHECK(out.find("4111") == std::string::npos);
}
