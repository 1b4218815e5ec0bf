// The canonical adapter: the body already is a canonical handoff (OpenCX-style senders, and
// handoffs re-ingested from parse output). See docs/canonical-webhook.md.
#include "adapters/adapters.hpp"
#include "json_model.hpp"

namespace phone_handoff::adapters {

bool canonical(const nlohmann::json& doc, Handoff& out, Errors& errors) {
  bool ok = true;
  if (doc.is_object()) {
    auto version = doc.find("version");
    if (version != doc.end() && !version->is_null() && *version != 1) {
      errors.push_back({"/version", "must be 1 (the only version of the canonical handoff so far), not " +
                                        version->dump()});
      ok = false;
    }
  }
  return handoff_from_json(doc, out, errors) && ok;
}

}  // namespace phone_handoff::adapters
