// The Node-API binding: one function, call(operation, args[]), over the core's one coarse call.
// Arguments may be strings or Buffers (bytes are passed through untouched; no copy into a JS
// string). Argument checking with friendly messages lives in JS (node/lib/api.js); this only
// refuses what it cannot convert.
//
// Strings cross the boundary through our own UTF-16 <-> UTF-8 conversion (utf16.hpp) rather than
// napi's UTF-8 functions: V8 measures a string's UTF-8 length in one pass and writes it in
// another, a character at a time, which for a 460 KB webhook body cost about as much as the
// core's whole parse (docs/performance.md § Core pipeline). Copying the UTF-16 units out is a
// plain copy, and mostly-ASCII text converts eight bytes at a time. The bytes are the same as
// napi's: a lone surrogate becomes U+FFFD, as V8 writes it.
#include <napi.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "phone_handoff/api.hpp"
#include "utf16.hpp"

namespace {

// Buffers kept between calls, one per thread: a 460 KB body needs 0.9 MB of UTF-16 and up to
// 1.4 MB of UTF-8, and blocks that size fresh from malloc are fresh pages from the kernel each
// call (glibc maps them), whose page faults cost more than the conversion itself. A buffer that
// grew past kKeepBytes for an unusually large call is released after it.
constexpr size_t kKeepBytes = 8u << 20;

template <class Unit>
class Scratch {
 public:
  Unit* room(size_t units) {
    if (units > capacity_) {
      data_.reset(new Unit[units]);
      capacity_ = units;
    }
    return data_.get();
  }
  void trim() {
    if (capacity_ * sizeof(Unit) > kKeepBytes) {
      data_.reset();
      capacity_ = 0;
    }
  }

 private:
  std::unique_ptr<Unit[]> data_;
  size_t capacity_ = 0;
};

struct Buffers {
  Scratch<char16_t> utf16;
  std::vector<Scratch<char>> utf8;  // one per argument: all must live until the core returns
  void trim() {
    utf16.trim();
    for (auto& b : utf8) b.trim();
  }
};

thread_local Buffers buffers;

// A JS string as UTF-8 bytes, in `storage` (valid until its next use).
std::string_view utf8_of(napi_env env, napi_value string, Scratch<char>& storage) {
  size_t units = 0;
  NAPI_THROW_IF_FAILED(env, napi_get_value_string_utf16(env, string, nullptr, 0, &units), std::string_view());
  char16_t* const utf16 = buffers.utf16.room(units + 1);
  size_t copied = 0;
  NAPI_THROW_IF_FAILED(env, napi_get_value_string_utf16(env, string, utf16, units + 1, &copied), std::string_view());
  char* const utf8 = storage.room(phone_handoff::binding::utf8_capacity(copied));
  return {utf8, phone_handoff::binding::utf16_to_utf8(utf16, copied, utf8)};
}

// The core's UTF-8 result as a JS string: plain ASCII is handed over as Latin-1 (a copy); other
// well-formed text as UTF-16; anything else (never expected) goes through V8's own decoder.
napi_value js_string_of(napi_env env, const std::string& text) {
  napi_value out = nullptr;
  napi_status status;
  if (phone_handoff::binding::is_ascii(text.data(), text.size())) {
    status = napi_create_string_latin1(env, text.data(), text.size(), &out);
  } else {
    char16_t* const utf16 = buffers.utf16.room(text.size());
    const size_t units = phone_handoff::binding::utf8_to_utf16(text.data(), text.size(), utf16);
    status = units == phone_handoff::binding::kNotUtf8
                 ? napi_create_string_utf8(env, text.data(), text.size(), &out)
                 : napi_create_string_utf16(env, utf16, units, &out);
  }
  NAPI_THROW_IF_FAILED(env, status, nullptr);
  return out;
}

Napi::Value Call(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 2 || !info[0].IsString() || !info[1].IsArray()) {
    throw Napi::TypeError::New(env, "call(operation: string, args: Array<string|Buffer>)");
  }
  const std::string operation = info[0].As<Napi::String>().Utf8Value();
  const Napi::Array list = info[1].As<Napi::Array>();
  // Every element first: reading one may run JS (a getter), which could call in again and reuse
  // the buffers; converting runs none.
  std::vector<Napi::Value> values;
  values.reserve(list.Length());
  for (uint32_t i = 0; i < list.Length(); ++i) values.push_back(list.Get(i));
  // String arguments are converted into the thread's buffers; Buffers are viewed in place.
  if (buffers.utf8.size() < values.size()) buffers.utf8.resize(values.size());
  std::vector<std::string_view> views;
  views.reserve(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    const Napi::Value& v = values[i];
    if (v.IsBuffer()) {
      auto b = v.As<Napi::Buffer<char>>();
      views.emplace_back(b.Data(), b.Length());
    } else if (v.IsString()) {
      views.push_back(utf8_of(env, v, buffers.utf8[i]));
    } else {
      throw Napi::TypeError::New(env, "argument " + std::to_string(i) + " must be a string or Buffer");
    }
  }
  const std::string out = phone_handoff::call(operation, views);
  const napi_value result = js_string_of(env, out);
  buffers.trim();
  return Napi::Value(env, result);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("call", Napi::Function::New(env, Call, "call"));
  exports.Set("version", Napi::String::New(env, phone_handoff::version()));
  return exports;
}

}  // namespace

NODE_API_MODULE(phone_handoff, Init)
