// The Merkle–Damgård framing shared by SHA-1, SHA-256 and SHA-512 (FIPS 180-4 §5.1–5.2): input is
// cut into fixed-size blocks, and the last block is padded with one 0x80 byte, zeros, and the
// message length in bits (big-endian). Each hash supplies only its compression function, so the
// fiddly buffering and padding live here once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace phone_handoff::crypto {

inline uint32_t load_be32(const unsigned char* p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
}

inline uint64_t load_be64(const unsigned char* p) {
  return uint64_t(load_be32(p)) << 32 | load_be32(p + 4);
}

inline void append_be32(uint32_t value, std::string& out) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(char((value >> shift) & 0xff));
}

inline void append_be64(uint64_t value, std::string& out) {
  append_be32(uint32_t(value >> 32), out);
  append_be32(uint32_t(value), out);
}

// Hash derives from BlockHasher<Hash, …> and provides `void compress_block(const unsigned char*)`
// (and, optionally, `void compress_blocks(const unsigned char*, std::size_t count)`).
// LengthFieldSize is 8 bytes for the 64-byte-block hashes and 16 for SHA-512; lengths here never
// exceed 2^64 bits, so the upper half of a 16-byte field is always zero.
template <class Hash, std::size_t BlockSize, std::size_t LengthFieldSize>
class BlockHasher {
 public:
  static constexpr std::size_t block_size = BlockSize;

  Hash& update(std::string_view data) {
    if (data.empty()) return self();  // an empty view may hold nullptr: memcpy(…, nullptr, 0) is UB
    auto bytes = reinterpret_cast<const unsigned char*>(data.data());
    std::size_t remaining = data.size();
    total_bytes_ += remaining;
    if (buffered_ > 0) {
      const std::size_t take = remaining < BlockSize - buffered_ ? remaining : BlockSize - buffered_;
      std::memcpy(buffer_ + buffered_, bytes, take);
      buffered_ += take;
      bytes += take;
      remaining -= take;
      if (buffered_ < BlockSize) return self();
      self().compress_block(buffer_);
      buffered_ = 0;
    }
    // The whole blocks in one call: a compression function may keep its state in registers
    // across them (SHA-256's SHA-NI path does).
    const std::size_t whole = remaining / BlockSize;
    if (whole > 0) self().compress_blocks(bytes, whole);
    bytes += whole * BlockSize;
    remaining -= whole * BlockSize;
    if (remaining > 0) std::memcpy(buffer_, bytes, remaining);
    buffered_ = remaining;
    return self();
  }

 protected:
  // One block at a time, unless Hash has a compress_blocks of its own.
  void compress_blocks(const unsigned char* blocks, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) self().compress_block(blocks + i * BlockSize);
  }

  // Pads and compresses the final block(s); the derived class then serialises its state.
  void pad_final_block() {
    const uint64_t bit_length = total_bytes_ * 8;
    buffer_[buffered_++] = 0x80;
    if (buffered_ > BlockSize - LengthFieldSize) {  // no room for the length: one more block
      std::memset(buffer_ + buffered_, 0, BlockSize - buffered_);
      self().compress_block(buffer_);
      buffered_ = 0;
    }
    std::memset(buffer_ + buffered_, 0, BlockSize - buffered_);
    for (int i = 0; i < 8; ++i) buffer_[BlockSize - 1 - i] = (unsigned char)((bit_length >> (8 * i)) & 0xff);
    self().compress_block(buffer_);
    buffered_ = 0;
  }

 private:
  Hash& self() { return static_cast<Hash&>(*this); }

  unsigned char buffer_[BlockSize] = {};
  std::size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

}  // namespace phone_handoff::crypto
