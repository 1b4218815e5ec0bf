// The summary message: what a rep must know in five seconds, as plain "Label: value" lines
// (the sidebar reads the same labels back). Items the handoff lacks are left out, never printed
// empty.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "config.hpp"
#include "phone_handoff/model.hpp"

namespace phone_handoff::render {

// True for "http://…" or "https://…" with a host and no spaces or control characters.
bool is_http_url(const std::string& url);

// The "View session" link: call.session_url when it is http(s), else sessionUrlTemplate with
// {session_id} and {call_id} filled in (percent-encoded); "" when neither gives a link.
std::string session_url(const Handoff& handoff, const Config& config);

// Call length in whole seconds: ended - started, else the last turn's end; nullopt if unknown.
std::optional<int64_t> call_duration_seconds(const Handoff& handoff);

// "+15550009999": the caller's number, else the call's far end.
std::string caller_phone(const Handoff& handoff);

// The summary text (at most 4096 characters). Links that are too long to show are reported in
// `warnings` and left out.
std::string summary_text(const Handoff& handoff, const Config& config, Errors& warnings);

// The summary message's flat metadata (phone_handoff_kind "summary" plus the structured values
// the sidebar prefers over the text), within 4 KB.
nlohmann::ordered_json summary_metadata(const Handoff& handoff, const Config& config, Errors& warnings);

}  // namespace phone_handoff::render
