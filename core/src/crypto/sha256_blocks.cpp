#include "crypto/sha256_blocks.hpp"

#include "crypto/block_hasher.hpp"

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__)) && \
    !defined(__EMSCRIPTEN__)
#define PH_SHA256_X86 1
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace phone_handoff::crypto::sha256_blocks {
namespace {

// FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first
// 64 primes.
alignas(16) constexpr uint32_t kRoundConstants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

inline uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

// One round. Instead of shifting all eight working variables down by one each round, the caller
// rotates which variable plays which part, so a round only writes d and h.
inline void round(uint32_t a, uint32_t b, uint32_t c, uint32_t& d, uint32_t e, uint32_t f,
                  uint32_t g, uint32_t& h, uint32_t constant_plus_word) {
  const uint32_t sum1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
  const uint32_t choose = g ^ (e & (f ^ g));          // (e & f) ^ (~e & g)
  const uint32_t majority = (a & b) | (c & (a | b));  // (a & b) ^ (a & c) ^ (b & c)
  const uint32_t sum0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
  const uint32_t temp1 = h + sum1 + choose + constant_plus_word;
  d += temp1;
  h = temp1 + sum0 + majority;
}

#ifdef PH_SHA256_X86

// The SHA extensions work on the state as two registers, ABEF and CDGH, and do two rounds per
// sha256rnds2 (four per message group of four words); sha256msg1/msg2 extend the schedule.
__attribute__((target("sha,sse4.1"))) void sha_ni(uint32_t state[8], const unsigned char* blocks,
                                                   std::size_t count) {
  const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i dcba = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&state[0]));
  __m128i hgfe = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&state[4]));
  const __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
  const __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
  __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
  __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);

  for (; count > 0; --count, blocks += 64) {
    const __m128i abef_before = abef, cdgh_before = cdgh;
    __m128i words[4];  // words[g % 4] holds schedule words 4g…4g+3
    for (int i = 0; i < 4; ++i)
      words[i] = _mm_shuffle_epi8(
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(blocks + 16 * i)), byte_swap);
    for (int group = 0; group < 16; ++group) {
      __m128i& current = words[group & 3];
      if (group >= 4) {
        // W[t..t+3] from W[t-16..t-13] (current), W[t-12..t-9], W[t-7..t-4] and W[t-4..t-1].
        const __m128i& previous = words[(group - 1) & 3];
        const __m128i extended = _mm_add_epi32(
            _mm_sha256msg1_epu32(current, words[(group + 1) & 3]),
            _mm_alignr_epi8(previous, words[(group - 2) & 3], 4));
        current = _mm_sha256msg2_epu32(extended, previous);
      }
      __m128i input = _mm_add_epi32(
          current, _mm_load_si128(reinterpret_cast<const __m128i*>(&kRoundConstants[4 * group])));
      cdgh = _mm_sha256rnds2_epu32(cdgh, abef, input);
      input = _mm_shuffle_epi32(input, 0x0E);
      abef = _mm_sha256rnds2_epu32(abef, cdgh, input);
    }
    abef = _mm_add_epi32(abef, abef_before);
    cdgh = _mm_add_epi32(cdgh, cdgh_before);
  }

  const __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
  const __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(&state[0]), _mm_blend_epi16(feba, dchg, 0xF0));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(&state[4]), _mm_alignr_epi8(dchg, feba, 8));
}

bool cpu_has_sha_extensions() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return false;
  const bool ssse3 = ecx & (1u << 9), sse41 = ecx & (1u << 19);
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return false;
  const bool sha = ebx & (1u << 29);
  return ssse3 && sse41 && sha;
}

#endif

}  // namespace

void portable(uint32_t state[8], const unsigned char* blocks, std::size_t count) {
  for (; count > 0; --count, blocks += 64) {
    uint32_t w[64];
    for (int t = 0; t < 16; ++t) w[t] = load_be32(blocks + 4 * t);
    for (int t = 16; t < 64; ++t) {
      const uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
      const uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (int t = 0; t < 64; t += 8) {
      round(a, b, c, d, e, f, g, h, kRoundConstants[t] + w[t]);
      round(h, a, b, c, d, e, f, g, kRoundConstants[t + 1] + w[t + 1]);
      round(g, h, a, b, c, d, e, f, kRoundConstants[t + 2] + w[t + 2]);
      round(f, g, h, a, b, c, d, e, kRoundConstants[t + 3] + w[t + 3]);
      round(e, f, g, h, a, b, c, d, kRoundConstants[t + 4] + w[t + 4]);
      round(d, e, f, g, h, a, b, c, kRoundConstants[t + 5] + w[t + 5]);
      round(c, d, e, f, g, h, a, b, kRoundConstants[t + 6] + w[t + 6]);
      round(b, c, d, e, f, g, h, a, kRoundConstants[t + 7] + w[t + 7]);
    }
    state[0] += a, state[1] += b, state[2] += c, state[3] += d;
    state[4] += e, state[5] += f, state[6] += g, state[7] += h;
  }
}

Compress accelerated() {
#ifdef PH_SHA256_X86
  static const Compress chosen = cpu_has_sha_extensions() ? &sha_ni : nullptr;
  return chosen;
#else
  return nullptr;
#endif
}

void compress(uint32_t state[8], const unsigned char* blocks, std::size_t count) {
  static const Compress best = accelerated() ? accelerated() : &portable;
  best(state, blocks, count);
}

}  // namespace phone_handoff::crypto::sha256_blocks
