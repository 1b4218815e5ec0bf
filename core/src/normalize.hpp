// normalize(): the one pass every adapter's raw Handoff goes through, so all platforms come out
// the same: E.164 numbers, a sorted and de-duplicated transcript, identifiers defaulted.
// Problems are reported at canonical-model pointers ("/caller/phone", "/transcript/3"), because
// by now the platform's own document is gone; the message quotes the offending value.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "phone_handoff/model.hpp"

namespace phone_handoff {

struct ParseOptions;  // ingest.hpp

// What a phone-number field turned out to hold.
struct PhoneNumber {
  enum class Kind { e164, withheld, empty, invalid } kind = Kind::empty;
  std::string value;    // the E.164 number when kind == e164
  std::string problem;  // why not, when kind == invalid (completes "…is not usable: <problem>")
};

// Accepts "+1 (555) 000-9999", "+1.555.000.9999", "0044 20 7946 0000", "tel:+15550009999";
// national numbers ("(555) 000-9999", "020 7946 0000") only when a default country code is
// given: one leading trunk "0" is dropped, and for country code 1 an 11-digit number starting
// with "1" is already complete. "anonymous", "restricted", "private", "unknown", "unavailable",
// "withheld" and "blocked" (any case) are withheld numbers, not errors.
PhoneNumber normalize_phone(std::string_view raw, std::string_view default_country_code);

// Facts found while normalizing that diagnose() reports in its own words.
struct NormalizeReport {
  size_t raw_turns = 0;               // turns the adapter produced
  size_t empty_turns_dropped = 0;
  size_t duplicate_turns_dropped = 0;
  PhoneNumber::Kind caller_number = PhoneNumber::Kind::empty;  // after defaulting from call.*
  std::string caller_number_pointer;  // where the caller number came from, when invalid
};

// A follow-up channel without an address gets the caller's own: caller.email for email,
// caller.phone for sms and callback.
//
// Transcript order rule (stable): a turn with a start time is placed by that time (ties keep
// their input order); a turn without one stays right after the turn that preceded it in the
// input, moving with it (turns without times before the first timed turn stay first). A turn
// without start_ms but with an absolute time gets start_ms = at - call start when both are known.
// Exact duplicates (same speaker, text and times, at least one time present) are dropped:
// platforms resend turns, but an untimed repeat ("Yes." … "Yes.") may be real, so it stays.
void normalize(Handoff& handoff, const ParseOptions& options, Errors& errors, Errors& warnings,
               NormalizeReport* report = nullptr);

}  // namespace phone_handoff
