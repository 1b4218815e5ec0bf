// Pins the redactor's behaviour where its fast paths begin and end (docs/performance.md
// § Redaction): a turn with no number, no mask and no keyword is left as it is and only ages the
// context; words are looked up without copying them; a turn's tokens start at the last plain word
// before the first one that may matter.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "redact.hpp"
#include "test_support.hpp"

using namespace phone_handoff;
using test_support::redacted;

namespace {

// One conversation, turn by turn; also checks that the in-place form gives the same text.
std::vector<std::string> conversation(const std::vector<std::string>& turns, RedactionCounts* counts_out = nullptr) {
  Redactor copying{RedactionSettings{}}, in_place{RedactionSettings{}};
  std::vector<std::string> out;
  for (const std::string& turn : turns) {
    out.push_back(copying.next_turn(turn));
    std::string changed = turn;
    in_place.next_turn_in_place(changed);
    CHECK(changed == out.back());
  }
  if (counts_out) *counts_out = copying.counts();
  return out;
}

const std::string kCard = "4111 1111 1111 1111";

}  // namespace

TEST_CASE("redact speed paths: plain turns are returned unchanged", "[redact]") {
  RedactionCounts c;
  CHECK(redacted("") == "");
  CHECK(redacted("Thanks for calling, how can I help you today?", &c) == "Thanks for calling, how can I help you today?");
  CHECK(redacted("Меня зовут Ольга, я звоню по поводу заказа.") == "Меня зовут Ольга, я звоню по поводу заказа.");
  CHECK(redacted("[see attached] it's done, isn't it?") == "[see attached] it's done, isn't it?");
  CHECK(c.card + c.card_security_code + c.card_expiry + c.ssn == 0);
}

TEST_CASE("redact speed paths: number words without digits are still read", "[redact]") {
  CHECK(redacted("I have one question about two orders") == "I have one question about two orders");
  CHECK(redacted("It's four one one one one one one one one one one one one one one one") == "It's [card ending 1111]");
  CHECK(redacted("five five oh oh, double oh triple oh, oh oh oh oh, oh oh oh four") == "[card ending 0004]");
  CHECK(redacted("one two three dash four five dash six seven eight nine") == "[SSN ending 6789]");
  // Teens and tens make a date near a card, and a code after a keyword.
  CHECK(redacted(kCard + ", twelve twenty seven") == "[card ending 1111], [card expiry]");
  CHECK(redacted("security code one twenty three") == "security code [card security code]");
}

TEST_CASE("redact speed paths: plain turns age the card context like any other turn", "[redact]") {
  // A card sets the context for the next two turns; plain turns in between count.
  auto turns = conversation({"It's " + kCard + ".", "Got it.", "one two three"});
  CHECK(turns[0] == "It's [card ending 1111].");
  CHECK(turns[1] == "Got it.");
  CHECK(turns[2] == "[card security code]");
  turns = conversation({kCard, "Got it.", "Thanks.", "one two three"});
  CHECK(turns[3] == "one two three");
  // A keyword turn with no number sets the context too, and its keyword carries over.
  turns = conversation({"What's the security code?", "Sure, one moment.", "737"});
  CHECK(turns[2] == "[card security code]");
  turns = conversation({"And the expiry?", "Let me find it.", "it's 12 27"});
  CHECK(turns[2] == "it's [card expiry]");
}

TEST_CASE("redact speed paths: a security code in the next turn", "[redact]") {
  RedactionCounts c;
  auto turns = conversation({"Card number? " + kCard, "And the CVC?", "123"}, &c);
  CHECK(turns[0] == "Card number? [card ending 1111]");
  CHECK(turns[1] == "And the CVC?");
  CHECK(turns[2] == "[card security code]");
  CHECK(c.card == 1);
  CHECK(c.card_security_code == 1);
  // A card masked earlier (our own marker) still counts as a card nearby.
  turns = conversation({"It's [card ending 1111].", "seven three seven"});
  CHECK(turns[1] == "[card security code]");
  // "my social" at the very end of a turn announces an SSN in the next.
  turns = conversation({"I can give you my social", "123456789"});
  CHECK(turns[1] == "[SSN ending 6789]");
}

TEST_CASE("redact speed paths: a card split across turns is not joined", "[redact]") {
  // Each turn is read on its own: eight digits are neither a card nor an SSN.
  const auto turns = conversation({"4111 1111", "1111 1111"});
  CHECK(turns[0] == "4111 1111");
  CHECK(turns[1] == "1111 1111");
}

TEST_CASE("redact speed paths: a card at the very start or end of the text", "[redact]") {
  CHECK(redacted(kCard) == "[card ending 1111]");
  CHECK(redacted("my number is " + kCard) == "my number is [card ending 1111]");
  CHECK(redacted(kCard + " is my number") == "[card ending 1111] is my number");
  CHECK(redacted("ends with four one one one one one one one one one one one one one one one") ==
        "ends with [card ending 1111]");
}

TEST_CASE("redact speed paths: multi-byte UTF-8 next to digits", "[redact]") {
  CHECK(redacted("Номер карты: " + kCard + ", спасибо") == "Номер карты: [card ending 1111], спасибо");
  CHECK(redacted("карта4111111111111111конец") == "карта[card ending 1111]конец");
  CHECK(redacted("€4111111111111111€") == "€[card ending 1111]€");
  // A no-break space (U+00A0) is not a gap inside a number: four separate groups, no card.
  CHECK(redacted("4111\u00a01111\u00a01111\u00a01111") == "4111\u00a01111\u00a01111\u00a01111");
  // A letter beyond ASCII ends a word: "zwölf" is not read as anything.
  CHECK(redacted("Müller, zwölf") == "Müller, zwölf");
}

TEST_CASE("redact speed paths: words in any case", "[redact]") {
  CHECK(redacted("FOUR ONE ONE ONE ONE ONE ONE ONE ONE ONE ONE ONE ONE ONE ONE ONE") == "[card ending 1111]");
  CHECK(redacted("Four One One One, One One One One, One One One One, One One One One") == "[card ending 1111]");
  CHECK(redacted("CVV 123") == "CVV [card security code]");
  CHECK(redacted("EXPIRES 12/27") == "EXPIRES [card expiry]");
  CHECK(redacted("The Expiry's 12/27") == "The Expiry's [card expiry]");
  CHECK(redacted("SOCIAL SECURITY 123456789") == "SOCIAL SECURITY [SSN ending 6789]");
  CHECK(redacted("Oh, " + kCard) == "Oh, [card ending 1111]");
}

TEST_CASE("redact speed paths: a month just before the first number of a turn", "[redact]") {
  // The month is a plain word; the number after it is what makes the turn worth reading.
  CHECK(redacted("it runs out in December 2027 and the CVV is 123") ==
        "it runs out in [card expiry] and the CVV is [card security code]");
  CHECK(redacted("December 2027, cvv 123") == "[card expiry], cvv [card security code]");
  CHECK(redacted("in dec 27 cvv 123") == "in [card expiry] cvv [card security code]");
}

TEST_CASE("redact speed paths: one redactor for separate texts forgets the context between them", "[redact]") {
  Redactor r{RedactionSettings{}};
  CHECK(r.next_turn(kCard) == "[card ending 1111]");
  CHECK(r.next_turn("737") == "[card security code]");   // same conversation: near the card
  r.start_new_text();
  CHECK(r.next_turn("737") == "737");                    // a text of its own: nothing nearby
  Redactor moved = std::move(r);                         // its buffers move along
  CHECK(moved.next_turn("4111-1111-1111-1111, cvv 123") == "[card ending 1111], cvv [card security code]");
  CHECK(moved.counts().card == 2);
  CHECK(moved.counts().card_security_code == 2);
}

TEST_CASE("redact speed paths: CVV2, CVC2 and CID2 stay whole; only the code is masked", "[redact]") {
  RedactionCounts c;
  CHECK(redacted("CVV2 123", &c) == "CVV2 [card security code]");
  CHECK(c.card_security_code == 1);
  CHECK(redacted("my cvc2 is 4521") == "my cvc2 is [card security code]");
  CHECK(redacted("CID2: 1234") == "CID2: [card security code]");
  CHECK(redacted(kCard + " exp 12/27 CVV2 737") == "[card ending 1111] exp [card expiry] CVV2 [card security code]");
  // At the very end of a turn it still announces the code in the next one.
  const auto turns = conversation({"Card " + kCard + ", and the CVV2", "737"});
  CHECK(turns[0] == "Card [card ending 1111], and the CVV2");
  CHECK(turns[1] == "[card security code]");
  // More than one digit glued on is the name and the code run together, read as before.
  CHECK(redacted("CVV 123") == "CVV [card security code]");
  CHECK(redacted("cvv123") == "cvv[card security code]");
  CHECK(redacted("cvv2123") == "cvv[card security code]");
  // Redacting again changes nothing.
  CHECK(redacted("CVV2 [card security code]") == "CVV2 [card security code]");
}

TEST_CASE("redact speed paths: words end exactly where their letters do, eight bytes at a time or not", "[redact]") {
  // Letters are found a word at a time: a byte next to the letter ranges ('@', '[', '`', '{'),
  // a digit, an apostrophe or a UTF-8 byte must end the word just as a space does, at every
  // position in the eight bytes, so that the keyword after it is still a keyword of its own.
  const std::vector<std::string> borders = {"@", "`", "{", "\xC3\xA9", "-", "_", "~", "\x7F"};
  for (const std::string& border : borders) {
    for (size_t length = 1; length <= 17; ++length) {
      const std::string word(length, length % 2 ? 'Z' : 'a');
      const std::string text = word + border + "CVV 123 and " + word + border + "cvv2 456";
      CAPTURE(border, length);
      CHECK(redacted(text) == word + border + "CVV [card security code] and " + word + border + "cvv2 [card security code]");
    }
  }
  // Letters glued to a keyword make another word: nothing to mask.
  CHECK(redacted("abcdefghCVV 123") == "abcdefghCVV 123");
  CHECK(redacted("ABCDEFGHIJKLMNOPQRSTUVWXYZcvv 123") == "ABCDEFGHIJKLMNOPQRSTUVWXYZcvv 123");
}

TEST_CASE("redact speed paths: \"card\" alone is a plain word, \"card code\" still a keyword", "[redact]") {
  CHECK(redacted("My card was charged twice, card card CARD.") == "My card was charged twice, card card CARD.");
  CHECK(redacted("the card code is 737") == "the card code is [card security code]");
  CHECK(redacted("card, code 4321") == "card, code [card security code]");
  auto turns = conversation({"What's the card code?", "Sure.", "737"});
  CHECK(turns[2] == "[card security code]");
  // "card" on its own puts nothing under suspicion, before or after this change.
  turns = conversation({"the card on file", "ok", "737"});
  CHECK(turns[2] == "737");
  turns = conversation({"my card number", "is", "737"});
  CHECK(turns[2] == "737");
}

TEST_CASE("redact speed paths: words shaped like number words are looked at, not skipped", "[redact]") {
  // The quick plain-turn test goes by a word's length and first and last letters; these share
  // them with "three", "nine", "five", "sixty", "security" or "code" and are plain all the same.
  CHECK(redacted("There, note: fine, sorry, twice, came, name, Saturday.") ==
        "There, note: fine, sorry, twice, came, name, Saturday.");
  auto turns = conversation({"It's " + kCard, "Note it, there.", "737"});
  CHECK(turns[2] == "[card security code]");
  // Upper case and apostrophes: the words that matter are still found.
  turns = conversation({"my security code is", "SECURITY", "737"});
  CHECK(turns[2] == "[card security code]");
  turns = conversation({"The expiry's on the card.", "ok", "12 27"});
  CHECK(turns[2] == "[card expiry]");
  turns = conversation({"it's one o'clock", "fine", "737"});
  CHECK(turns[2] == "737");
  turns = conversation({"say cvv", "737"});
  CHECK(turns[1] == "[card security code]");
  // A word longer than any the redactor knows, then one it knows at the very end.
  turns = conversation({"abcdefghijklmnopqrstuvwxyz verification", "737"});
  CHECK(turns[1] == "737");
}
