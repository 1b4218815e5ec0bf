// The webhook path's JSON reader (core/src/json/reader.hpp) against nlohmann::json, which it
// replaced there, on arbitrary bytes: decode_document and decode_json (the old path) must both
// accept or both reject, with the same message when they reject and the same values — number
// kinds and double bits, member order, duplicate keys — when they accept. The input is the body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "../core/json_reader_compare.hpp"
#include "fuzz_support.hpp"
#include "ingest.hpp"

using namespace phone_handoff;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const ParseOptions options;
  nlohmann::json old_doc;
  json_reader::Document new_doc;
  Errors old_errors, new_errors;
  const bool old_accepts = decode_json(text, options, "body", old_doc, old_errors);
  const bool new_accepts = decode_document(text, options, "body", new_doc, new_errors);
  if (old_accepts != new_accepts)
    fuzz::fail("json_reader", new_accepts ? "accepts what nlohmann rejects" : "rejects what nlohmann accepts",
               new_accepts ? old_errors.front().message : new_errors.front().message);
  if (!old_accepts) {
    if (old_errors.front().message != new_errors.front().message)
      fuzz::fail("json_reader", "another message than decode_json's", new_errors.front().message);
    return 0;
  }
  const std::string difference = json_reader_compare::difference(new_doc.root(), old_doc);
  if (!difference.empty()) fuzz::fail("json_reader", "reads another value than nlohmann", difference);
  return 0;
}
