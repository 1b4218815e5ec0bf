// The Node-API binding: one function, call(operation, args[]), over the core's one coarse call.
// Arguments may be strings or Buffers (bytes are passed through untouched; no copy into a JS
// string). Argument checking with friendly messages lives in JS (node/lib/api.js); this only
// refuses what it cannot convert.
#include <napi.h>

#include <string>
#include <string_view>
#include <vector>

#include "phone_handoff/api.hpp"

namespace {

Napi::Value Call(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 2 || !info[0].IsString() || !info[1].IsArray()) {
    throw Napi::TypeError::New(env, "call(operation: string, args: Array<string|Buffer>)");
  }
  const std::string operation = info[0].As<Napi::String>().Utf8Value();
  const Napi::Array list = info[1].As<Napi::Array>();
  // Own the string arguments; Buffers are viewed in place (they outlive this call).
  std::vector<std::string> owned;
  owned.reserve(list.Length());
  std::vector<std::string_view> views;
  views.reserve(list.Length());
  for (uint32_t i = 0; i < list.Length(); ++i) {
    Napi::Value v = list.Get(i);
    if (v.IsBuffer()) {
      auto b = v.As<Napi::Buffer<char>>();
      views.emplace_back(b.Data(), b.Length());
    } else if (v.IsString()) {
      owned.push_back(v.As<Napi::String>().Utf8Value());
      views.emplace_back(owned.back());
    } else {
      throw Napi::TypeError::New(env, "argument " + std::to_string(i) + " must be a string or Buffer");
    }
  }
  const std::string out = phone_handoff::call(operation, views);
  return Napi::String::New(env, out);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("call", Napi::Function::New(env, Call, "call"));
  exports.Set("version", Napi::String::New(env, phone_handoff::version()));
  return exports;
}

}  // namespace

NODE_API_MODULE(phone_handoff, Init)
