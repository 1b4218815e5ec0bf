// Base64 (RFC 4648 §4, standard alphabet), the encoding of Standard Webhooks signatures and
// secrets and of Vapi's "base64" signatures.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace phone_handoff::crypto {

// Always padded with '=' to a multiple of four characters.
std::string base64_encode(std::string_view bytes);

// Strict: the standard alphabet only (no URL-safe '-' '_', no whitespace). Padding may be omitted,
// but when present it must be exactly right; unused trailing bits must be zero, so every byte
// string has exactly one accepted encoding (plus its unpadded form).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace phone_handoff::crypto
