#include "plan/request.hpp"

namespace phone_handoff::plan {

using nlohmann::ordered_json;

namespace {
ordered_json outcome_json(const Outcome& outcome) {
  ordered_json j = ordered_json::object();
  if (!outcome.meaning.empty()) j["meaning"] = outcome.meaning;
  j["set"] = outcome.set;
  j["capture"] = outcome.capture;
  return j;
}

ordered_json probe_json(const Probe& probe) {
  ordered_json j;
  j["api"] = probe.api;
  j["method"] = "GET";
  j["path"] = probe.path;
  if (!probe.items.empty()) j["items"] = probe.items;
  if (!probe.item.empty()) j["item"] = probe.item;
  if (!probe.follow.empty()) {
    j["follow"] = probe.follow;
    j["maxPages"] = probe.max_pages;
  }
  j["matchAny"] = probe.match_any;
  j["found"] = outcome_json(probe.found);
  return j;
}
}  // namespace

ordered_json to_json(const Request& r) {
  ordered_json j;
  j["id"] = r.id;
  j["why"] = r.why;
  j["api"] = r.api;
  j["method"] = r.method;
  j["path"] = r.path;
  j["body"] = r.body;
  j["idempotent"] = r.idempotent;
  j["expect"] = r.expect;
  j["set"] = r.success.set;
  j["capture"] = r.success.capture;
  ordered_json on_status = ordered_json::object();
  for (const auto& [status, outcome] : r.on_status) on_status[std::to_string(status)] = outcome_json(outcome);
  j["onStatus"] = on_status;
  if (r.probe) j["probe"] = probe_json(*r.probe);
  if (r.probe_first) j["probeFirst"] = true;
  if (r.delay_ms > 0) j["delayMs"] = r.delay_ms;
  return j;
}

}  // namespace phone_handoff::plan
