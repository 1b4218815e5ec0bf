// The transcript as Sunshine message bodies (docs/zendesk-output.md § Transcript messages).
// "packed": lines "[mm:ss] Speaker: text" packed into as few messages as the limits allow;
// "per-turn": one message per turn, caller turns authored as the caller.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "config.hpp"
#include "phone_handoff/model.hpp"

namespace phone_handoff::render {

constexpr size_t kMessageTextLimit = 4096;        // characters (see text_units)
constexpr size_t kMessageBodyLimit = 100 * 1024;  // bytes of the whole POST body
constexpr size_t kDisplayNameLimit = 100;
// Stands in for the caller's Sunshine user id; the planner substitutes it.
constexpr const char* kUserExternalIdPlaceholder = "{userExternalId}";

// agents[agent.id].displayName, else the handoff's agent name, else aiDisplayName; one line,
// at most 100 characters.
std::string agent_display_name(const Handoff& handoff, const Config& config);

// "[mm:ss]" below an hour, "[h:mm:ss]" from then on, "[--:--]" when unknown.
std::string stamp(std::optional<int64_t> offset_ms);

// Splits one-line text into pieces of at most `max_units` characters, at spaces where possible;
// a word longer than that is cut at a code point boundary. Joining the pieces with " " gives the
// text back (a cut word comes back as two words).
std::vector<std::string> split_at_words(std::string_view text, size_t max_units);

// {"type":"business","displayName":…} with destination none: never delivered to the caller.
nlohmann::ordered_json business_message(const std::string& display_name, std::string text,
                                        nlohmann::ordered_json metadata);

// The transcript messages (turns and tool calls in time order) in the configured style.
std::vector<nlohmann::ordered_json> transcript_messages(const Handoff& handoff, const Config& config,
                                                        Errors& warnings);

}  // namespace phone_handoff::render
