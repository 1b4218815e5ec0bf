// The SHA-256 compression function (FIPS 180-4 §6.2.2) over whole 64-byte blocks, in two
// implementations with the same result: portable C++, and the x86 SHA extensions ("SHA-NI", about
// ten times faster), which compress() uses when both the build and the CPU have them. Every webhook
// the service accepts is hashed once or twice (HMAC), so this is on the intake's hot path.
#pragma once

#include <cstddef>
#include <cstdint>

namespace phone_handoff::crypto::sha256_blocks {

using Compress = void (*)(uint32_t state[8], const unsigned char* blocks, std::size_t count);

void portable(uint32_t state[8], const unsigned char* blocks, std::size_t count);

// The SHA-NI implementation, or nullptr when this build or this CPU has none (then compress() is
// portable()). Exposed so tests can hold the two against each other.
Compress accelerated();

void compress(uint32_t state[8], const unsigned char* blocks, std::size_t count);

}  // namespace phone_handoff::crypto::sha256_blocks
