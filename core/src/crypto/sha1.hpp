// SHA-1 (FIPS 180-4 §6.1). Broken for collision resistance, but HMAC-SHA1 is still what some
// webhook senders (e.g. Vapi's "sha1" HMAC option) use, and HMAC does not rely on collisions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/block_hasher.hpp"

namespace phone_handoff::crypto {

class Sha1 : public BlockHasher<Sha1, 64, 8> {
 public:
  static constexpr std::size_t digest_size = 20;

  // The raw 20-byte digest. Call once; the object is spent afterwards.
  std::string finish();
  static std::string digest(std::string_view data) { return Sha1().update(data).finish(); }

 private:
  friend class BlockHasher<Sha1, 64, 8>;
  void compress_block(const unsigned char* block);

  uint32_t state_[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
};

}  // namespace phone_handoff::crypto
