#include "crypto/sha256.hpp"

#include "crypto/sha256_blocks.hpp"

namespace phone_handoff::crypto {

void Sha256::compress_block(const unsigned char* block) { sha256_blocks::compress(state_, block, 1); }

void Sha256::compress_blocks(const unsigned char* blocks, std::size_t count) {
  sha256_blocks::compress(state_, blocks, count);
}

std::string Sha256::finish() {
  pad_final_block();
  std::string out;
  for (uint32_t word : state_) append_be32(word, out);
  return out;
}

}  // namespace phone_handoff::crypto
