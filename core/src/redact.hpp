// Redaction of payment card data and US Social Security numbers, before anything leaves the
// process (docs/zendesk-output.md § Redaction). Counts are reported per category; the values
// never are.
//
// What is masked (each category can be turned off in the config):
//   card               13-19 digits (digits and/or spoken words: "four one one one…", "oh",
//                      "double five", "twenty seven"), grouped with spaces, dashes, commas or
//                      dots, passing the Luhn check → "[card ending 1111]"
//   card_security_code 3-4 digits spoken near a card (the same turn or the next two turns) or
//                      after "CVV", "CVC", "security code", … → "[card security code]"
//   card_expiry        "12/27", "twelve twenty seven", "December 2027", … in the same context
//                      → "[card expiry]"
//   ssn                AAA-GG-SSSS (not area 000, 666 or 9xx, group 00, serial 0000), in digits
//                      with dashes/spaces or spoken as nine digits; other 9-digit numbers only
//                      after "social security" / "SSN" → "[SSN ending 6789]"
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "config.hpp"
#include "phone_handoff/model.hpp"

namespace phone_handoff {

struct RedactionCounts {
  int card = 0;
  int card_security_code = 0;
  int card_expiry = 0;
  int ssn = 0;
  RedactionCounts& operator+=(const RedactionCounts& o) {
    card += o.card;
    card_security_code += o.card_security_code;
    card_expiry += o.card_expiry;
    ssn += o.ssn;
    return *this;
  }
};

// Redacts a conversation: each element is one turn, in order. Context (a card just read out, a
// "security code" keyword) carries over to the next two turns.
class Redactor {
 public:
  explicit Redactor(const RedactionSettings& settings);
  ~Redactor();
  Redactor(Redactor&&) noexcept;
  Redactor& operator=(Redactor&&) noexcept;

  std::string next_turn(std::string_view text);
  // The same, changing `text` only when something in it is masked (most turns: no copy at all).
  void next_turn_in_place(std::string& text);
  // Forgets the context, as a new Redactor would, keeping the counts: for separate texts in a row.
  void start_new_text();
  const RedactionCounts& counts() const { return counts_; }

 private:
  struct Buffers;   // redact.cpp: reused from turn to turn, so most turns allocate nothing

  // Writes the redacted turn to `out` and returns true, or returns false (out untouched) when
  // nothing in the turn is masked.
  bool redact_turn(std::string_view text, std::string& out);
  // Context for the next turns, once a turn is read (last_keyword: redact.cpp's Keyword).
  void end_turn(bool card_trigger, bool ssn_trigger, int last_keyword);

  RedactionSettings settings_;
  RedactionCounts counts_;
  int card_context_turns_ = 0;   // turns after this one still "near" a card
  int ssn_context_turns_ = 0;
  int last_keyword_ = 0;         // the latest keyword kind still in context (redact.cpp's Keyword)
  std::unique_ptr<Buffers> buffers_;
};

// One text on its own (no context from elsewhere).
std::string redact_text(std::string_view text, const RedactionSettings& settings, RedactionCounts& counts);

// Everything in a handoff a person could read: transcript (as a conversation), summary, reason
// texts, tool call results and custom field string values.
RedactionCounts redact_handoff(Handoff& handoff, const RedactionSettings& settings);

// {"card": n, "card_security_code": n, "card_expiry": n, "ssn": n}
nlohmann::ordered_json redaction_counts_to_json(const RedactionCounts& counts);

}  // namespace phone_handoff
