// Zendesk ticket tags for a handoff: <prefix>_channel_phone, <prefix>_handedoff,
// <prefix>_handoff_<mode>, <prefix>_followup_<channel>, <prefix>_sentiment_<value>, then the
// configured extra tags, all sanitized and without duplicates.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config.hpp"
#include "phone_handoff/model.hpp"

namespace phone_handoff::render {

// Zendesk tags are lower case without spaces; this keeps [a-z0-9_-], turns every other run of
// characters into one "_", trims "_" from the ends and caps the length at 80. "" = nothing left.
std::string sanitize_tag(std::string_view raw);

// The handoff's tags in a fixed order. Extra tags that sanitize to nothing are reported in
// `warnings` (pointer "/tags") and left out.
std::vector<std::string> handoff_tags(const Handoff& handoff, const Config& config, Errors& warnings);

}  // namespace phone_handoff::render
