// SHA-512 (FIPS 180-4 §6.4): offered by Vapi's HMAC credential ("algorithm": "sha512").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/block_hasher.hpp"

namespace phone_handoff::crypto {

class Sha512 : public BlockHasher<Sha512, 128, 16> {
 public:
  static constexpr std::size_t digest_size = 64;

  // The raw 64-byte digest. Call once; the object is spent afterwards.
  std::string finish();
  static std::string digest(std::string_view data) { return Sha512().update(data).finish(); }

 private:
  friend class BlockHasher<Sha512, 128, 16>;
  void compress_block(const unsigned char* block);

  // FIPS 180-4 §5.3.5: the first 64 bits of the fractional parts of the square roots of the
  // first eight primes.
  uint64_t state_[8] = {
    0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
    0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,  };
};

}  // namespace phone_handoff::crypto
