// Shared by the [ingest] tests: fixture bytes and small builders.
#pragma once

#include <string>

#include <catch2/catch.hpp>

#include "phone_handoff/model.hpp"
#include "test_support.hpp"

namespace ingest_tests {

using test_support::fixture_text;

inline const phone_handoff::FieldError* find_at(const phone_handoff::Errors& list,
                                                const std::string& pointer) {
  for (const auto& e : list)
    if (e.pointer == pointer) return &e;
  return nullptr;
}

// The canonical fixtures that must parse.
inline const char* const kValidCanonicalFixtures[] = {
    "canonical/short-call.json", "canonical/logged-escalation-sms.json",
    "canonical/long-call-400-turns.json"};

}  // namespace ingest_tests
