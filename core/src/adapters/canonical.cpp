// The canonical adapter: the body already is a canonical handoff (OpenCX-style senders, and
// handoffs re-ingested from parse output). See docs/canonical-webhook.md.
#include "adapters/adapters.hpp"
#include "json_model.hpp"

namespace phone_handoff::adapters {

bool canonical(const json_reader::Value& doc, Handoff& out, Errors& errors) {
  bool ok = true;
  if (const json_reader::Value* version = doc.find("version")) {
    // As nlohmann's `version != 1`: 1, 1.0 and 1e0 are all version 1.
    if (!version->is_null() && !(version->is_number() && version->number() == 1.0)) {
      errors.push_back({"/version", "must be 1 (the only version of the canonical handoff so far), not " +
                                        version->to_nlohmann().dump()});
      ok = false;
    }
  }
  return handoff_from_json(doc, out, errors) && ok;
}

}  // namespace phone_handoff::adapters
