// Base16 (RFC 4648 §8), the encoding of Retell, ElevenLabs, Bland and (by default) Vapi signatures.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace phone_handoff::crypto {

// Lowercase hex, two digits per byte.
std::string hex_encode(std::string_view bytes);

// Accepts upper- and lowercase digits; nullopt for an odd length or any other character.
std::optional<std::string> hex_decode(std::string_view text);

}  // namespace phone_handoff::crypto
