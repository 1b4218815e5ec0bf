// UTF-16 <-> UTF-8 for the Node-API binding (addon.cpp says why it does not use napi's own).
// Plain ASCII, most of any webhook body or plan, is moved four UTF-16 units or eight bytes at a
// time; everything else a code point at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace phone_handoff::binding {

// Bytes of UTF-8 that `units` UTF-16 units can need: three per unit at most (a surrogate pair is
// two units and four bytes).
inline size_t utf8_capacity(size_t units) { return units * 3 + 1; }

// Writes `units` UTF-16 units as UTF-8 to `out` (room for utf8_capacity(units) bytes); returns
// the bytes written. A lone surrogate becomes U+FFFD, as V8's String::WriteUtf8 writes it.
inline size_t utf16_to_utf8(const char16_t* in, size_t units, char* out) {
  char* const start = out;
  size_t i = 0;
  while (i < units) {
    if (i + 4 <= units) {
      uint64_t four;
      std::memcpy(&four, in + i, sizeof four);
      if ((four & 0xFF80FF80FF80FF80ULL) == 0) {
        for (size_t k = 0; k < 4; ++k) out[k] = static_cast<char>(in[i + k]);
        out += 4;
        i += 4;
        continue;
      }
    }
    uint32_t c = in[i++];
    if (c < 0x80) {
      *out++ = static_cast<char>(c);
      continue;
    }
    if (c < 0x800) {
      *out++ = static_cast<char>(0xC0 | (c >> 6));
      *out++ = static_cast<char>(0x80 | (c & 0x3F));
      continue;
    }
    if (c >= 0xD800 && c <= 0xDFFF) {
      const bool paired = c <= 0xDBFF && i < units && in[i] >= 0xDC00 && in[i] <= 0xDFFF;
      if (!paired) {
        c = 0xFFFD;
      } else {
        c = 0x10000 + ((c - 0xD800) << 10) + (static_cast<uint32_t>(in[i++]) - 0xDC00);
        *out++ = static_cast<char>(0xF0 | (c >> 18));
        *out++ = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        *out++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        *out++ = static_cast<char>(0x80 | (c & 0x3F));
        continue;
      }
    }
    *out++ = static_cast<char>(0xE0 | (c >> 12));
    *out++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (c & 0x3F));
  }
  return static_cast<size_t>(out - start);
}

inline bool is_ascii(const char* text, size_t size) {
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    uint64_t eight;
    std::memcpy(&eight, text + i, sizeof eight);
    if (eight & 0x8080808080808080ULL) return false;
  }
  for (; i < size; ++i)
    if (static_cast<unsigned char>(text[i]) >= 0x80) return false;
  return true;
}

constexpr size_t kNotUtf8 = static_cast<size_t>(-1);

// Writes well-formed UTF-8 as UTF-16 to `out` (room for `size` units: never more units than
// bytes); returns the units written, or kNotUtf8 at the first ill-formed sequence (overlong,
// surrogate, beyond U+10FFFF, cut short), which the caller leaves to V8's decoder.
inline size_t utf8_to_utf16(const char* text, size_t size, char16_t* out) {
  const auto* in = reinterpret_cast<const unsigned char*>(text);
  char16_t* const start = out;
  size_t i = 0;
  while (i < size) {
    if (i + 8 <= size) {
      uint64_t eight;
      std::memcpy(&eight, in + i, sizeof eight);
      if ((eight & 0x8080808080808080ULL) == 0) {
        for (size_t k = 0; k < 8; ++k) out[k] = in[i + k];
        out += 8;
        i += 8;
        continue;
      }
    }
    const unsigned lead = in[i];
    if (lead < 0x80) {
      *out++ = static_cast<char16_t>(lead);
      ++i;
      continue;
    }
    size_t length;
    unsigned low = 0x80, high = 0xBF;  // allowed range of the second byte
    uint32_t c;
    if (lead >= 0xC2 && lead <= 0xDF) length = 2, c = lead & 0x1F;
    else if (lead == 0xE0) length = 3, low = 0xA0, c = 0;
    else if (lead >= 0xE1 && lead <= 0xEC) length = 3, c = lead & 0x0F;
    else if (lead == 0xED) length = 3, high = 0x9F, c = lead & 0x0F;
    else if (lead >= 0xEE && lead <= 0xEF) length = 3, c = lead & 0x0F;
    else if (lead == 0xF0) length = 4, low = 0x90, c = 0;
    else if (lead >= 0xF1 && lead <= 0xF3) length = 4, c = lead & 0x07;
    else if (lead == 0xF4) length = 4, high = 0x8F, c = 4;
    else return kNotUtf8;
    if (size - i < length || in[i + 1] < low || in[i + 1] > high) return kNotUtf8;
    for (size_t k = 1; k < length; ++k) {
      if (k > 1 && (in[i + k] < 0x80 || in[i + k] > 0xBF)) return kNotUtf8;
      c = (c << 6) | (in[i + k] & 0x3F);
    }
    i += length;
    if (c < 0x10000) {
      *out++ = static_cast<char16_t>(c);
    } else {
      c -= 0x10000;
      *out++ = static_cast<char16_t>(0xD800 + (c >> 10));
      *out++ = static_cast<char16_t>(0xDC00 + (c & 0x3FF));
    }
  }
  return static_cast<size_t>(out - start);
}

}  // namespace phone_handoff::binding
