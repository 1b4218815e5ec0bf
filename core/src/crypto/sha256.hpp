// SHA-256 (FIPS 180-4 §6.2): the hash behind every webhook signature the product verifies.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/block_hasher.hpp"

namespace phone_handoff::crypto {

class Sha256 : public BlockHasher<Sha256, 64, 8> {
 public:
  static constexpr std::size_t digest_size = 32;

  // The raw 32-byte digest. Call once; the object is spent afterwards.
  std::string finish();
  static std::string digest(std::string_view data) { return Sha256().update(data).finish(); }

 private:
  friend class BlockHasher<Sha256, 64, 8>;
  void compress_block(const unsigned char* block);
  void compress_blocks(const unsigned char* blocks, std::size_t count);

  // FIPS 180-4 §5.3.3: the first 32 bits of the fractional parts of the square roots of the
  // first eight primes.
  uint32_t state_[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,  };
};

}  // namespace phone_handoff::crypto
