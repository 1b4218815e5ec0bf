// Shared by the libFuzzer targets: every target drives the core through its one public entry,
// phone_handoff::call(), exactly as the bindings do, and checks the invariants every call must
// keep whatever the input. A sanitizer report or an abort() here is a crash libFuzzer saves.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "phone_handoff/api.hpp"

namespace phone_handoff::fuzz {

inline const char* const kSources[] = {"canonical", "vapi", "retell", "elevenlabs", "bland"};
constexpr std::size_t kSourceCount = sizeof(kSources) / sizeof(kSources[0]);

// The input's first byte names the source (seed files start with the source's index as a digit,
// '0'..'4', so they stay readable); the rest is the payload.
struct SourcedInput {
  const char* source;
  std::string_view body;
};

inline SourcedInput split_source(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return {kSources[0], {}};
  return {kSources[data[0] % kSourceCount],
          std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1)};
}

// Up to `max_parts` parts separated by NUL bytes (the last part keeps any further NULs), so one
// fuzz input can carry several arguments and the fuzzer reaches their combinations.
inline std::vector<std::string_view> split_nul(std::string_view rest, std::size_t max_parts) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    const std::size_t nul = rest.find('\0');
    if (nul == std::string_view::npos) break;
    parts.push_back(rest.substr(0, nul));
    rest.remove_prefix(nul + 1);
  }
  parts.push_back(rest);
  return parts;
}

[[noreturn]] inline void fail(std::string_view operation, std::string_view why,
                              std::string_view result) {
  std::fprintf(stderr, "\nphone-handoff fuzz invariant broken in %.*s: %.*s\nresult: %.*s\n",
               static_cast<int>(operation.size()), operation.data(),
               static_cast<int>(why.size()), why.data(),
               static_cast<int>(result.size() > 2000 ? 2000 : result.size()), result.data());
  std::abort();
}

// Every result is JSON text; an "internal" error means an exception escaped an operation, i.e.
// a bug the caller could not have avoided, so it counts as a crash too.
inline nlohmann::json checked_call(std::string_view operation,
                                   const std::vector<std::string_view>& args) {
  const std::string result = call(operation, args);
  nlohmann::json parsed = nlohmann::json::parse(result, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) fail(operation, "result is not JSON", result);
  if (parsed.is_object() && parsed.contains("error")) {
    const auto& error = parsed["error"];
    if (!error.is_object() || !error.contains("code")) fail(operation, "malformed error", result);
    if (error["code"] == "internal") fail(operation, "internal error (an exception escaped)", result);
  }
  return parsed;
}

}  // namespace phone_handoff::fuzz
