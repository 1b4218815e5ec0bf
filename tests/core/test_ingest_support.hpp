// Shared by the [ingest] tests: fixture bytes and small builders.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "phone_handoff/model.hpp"

namespace ingest_tests {

inline std::string fixture_text(const std::string& relative_path) {
  std::ifstream in(std::string(PH_FIXTURES_DIR) + "/" + relative_path, std::ios::binary);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

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
