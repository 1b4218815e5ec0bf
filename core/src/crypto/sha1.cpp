#include "crypto/sha1.hpp"

namespace phone_handoff::crypto {
namespace {
uint32_t rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }
}  // namespace

void Sha1::compress_block(const unsigned char* block) {
  uint32_t w[80];
  for (int t = 0; t < 16; ++t) w[t] = load_be32(block + 4 * t);
  for (int t = 16; t < 80; ++t) w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);

  uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3], e = state_[4];
  for (int t = 0; t < 80; ++t) {
    uint32_t f, k;
    if (t < 20) {
      f = (b & c) | (~b & d), k = 0x5a827999;  // Ch
    } else if (t < 40) {
      f = b ^ c ^ d, k = 0x6ed9eba1;  // Parity
    } else if (t < 60) {
      f = (b & c) | (b & d) | (c & d), k = 0x8f1bbcdc;  // Maj
    } else {
      f = b ^ c ^ d, k = 0xca62c1d6;  // Parity
    }
    const uint32_t temp = rotl(a, 5) + f + e + k + w[t];
    e = d, d = c, c = rotl(b, 30), b = a, a = temp;
  }
  state_[0] += a, state_[1] += b, state_[2] += c, state_[3] += d, state_[4] += e;
}

std::string Sha1::finish() {
  pad_final_block();
  std::string out;
  for (uint32_t word : state_) append_be32(word, out);
  return out;
}

}  // namespace phone_handoff::crypto
