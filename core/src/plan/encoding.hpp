// Small text helpers the plan needs to build URLs and stable step ids.
#pragma once

#include <string>
#include <string_view>

namespace phone_handoff::plan {

// RFC 3986 percent-encoding of one path segment or query value: everything but the unreserved
// characters (A-Z a-z 0-9 - . _ ~) is encoded, so ids like "phone:+15550009999" or a CRM
// external_id with "/" or spaces can never change the shape of the URL.
std::string percent_encode(std::string_view text);

// FNV-1a 64-bit of the bytes, as 16 lowercase hex digits: a stable fingerprint of what was
// delivered (not a security measure).
std::string fingerprint(std::string_view bytes);

// At most `max_chars` Unicode code points of valid UTF-8 `text` (never cuts a sequence).
std::string truncate_code_points(std::string_view text, size_t max_chars);

}  // namespace phone_handoff::plan
