// The WebAssembly binding: plain C exports (no embind, so the glue has no eval and runs under a
// strict CSP). JS writes the arguments into linear memory, calls ph_call, reads the result.
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <emscripten/emscripten.h>

#include "phone_handoff/api.hpp"

extern "C" {

// args: `count` (pointer, length) pairs laid out as uint32 [ptr0, len0, ptr1, len1, …].
// Returns a malloc'd buffer: uint32 length, then that many bytes of UTF-8 JSON. Free with free().
EMSCRIPTEN_KEEPALIVE char* ph_call(const char* operation, const uint32_t* args, uint32_t count) {
  std::vector<std::string_view> views;
  views.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    views.emplace_back(reinterpret_cast<const char*>(static_cast<uintptr_t>(args[2 * i])), args[2 * i + 1]);
  }
  const std::string out = phone_handoff::call(operation, views);
  auto* buf = static_cast<char*>(std::malloc(4 + out.size()));
  if (!buf) return nullptr;
  const uint32_t n = static_cast<uint32_t>(out.size());
  std::memcpy(buf, &n, 4);
  std::memcpy(buf + 4, out.data(), out.size());
  return buf;
}

EMSCRIPTEN_KEEPALIVE const char* ph_version() { return phone_handoff::version(); }
}
