// HMAC (RFC 2104, FIPS 198-1) over SHA-1, SHA-256 or SHA-512.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace phone_handoff::crypto {

enum class HashAlgorithm { sha1, sha256, sha512 };

std::size_t digest_size(HashAlgorithm algorithm);

// The raw MAC of the concatenation of message_parts. Signed messages are usually a few small
// pieces around a large body ("<timestamp>.<body>"); taking the pieces separately means the body
// is hashed in place and never copied.
std::string hmac(HashAlgorithm algorithm, std::string_view key,
                 const std::vector<std::string_view>& message_parts);

}  // namespace phone_handoff::crypto
