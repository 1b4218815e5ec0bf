#include "plan/request.hpp"

namespace phone_handoff::plan {
namespace {

template <class Value>
void write_pointers(JsonWriter& out, const PointerMap<Value>& pointers) {
  out.begin_object();
  for (const auto& [pointer, value] : pointers.items) out.member(pointer, value);
  out.end_object();
}

void write_set_and_capture(JsonWriter& out, const Outcome& outcome) {
  out.key("set");
  write_pointers(out, outcome.set);
  out.key("capture");
  write_pointers(out, outcome.capture);
}

void write_outcome(JsonWriter& out, const Outcome& outcome) {
  out.begin_object();
  if (!outcome.meaning.empty()) out.member("meaning", outcome.meaning);
  write_set_and_capture(out, outcome);
  out.end_object();
}

void write_probe(JsonWriter& out, const Probe& probe) {
  out.begin_object().member("api", probe.api).member("method", "GET").member("path", probe.path);
  if (!probe.items.empty()) out.member("items", probe.items);
  if (!probe.item.empty()) out.member("item", probe.item);
  if (!probe.follow.empty()) out.member("follow", probe.follow).member("maxPages", probe.max_pages);
  out.member("matchAny", probe.match_any).key("found");
  write_outcome(out, probe.found);
  out.end_object();
}

}  // namespace

void write_request(JsonWriter& out, const Request& r) {
  out.begin_object()
      .member("id", r.id)
      .member("why", r.why)
      .member("api", r.api)
      .member("method", r.method)
      .member("path", r.path)
      .member("body", r.rendered_body ? *r.rendered_body : r.body)
      .member("idempotent", r.idempotent);
  out.key("expect").begin_array();
  for (int status : r.expect) out.value(status);
  out.end_array();
  write_set_and_capture(out, r.success);
  out.key("onStatus").begin_object();
  for (const auto& [status, outcome] : r.on_status) {
    out.key(std::to_string(status));
    write_outcome(out, outcome);
  }
  out.end_object();
  if (r.probe) {
    out.key("probe");
    write_probe(out, *r.probe);
  }
  if (r.probe_first) out.member("probeFirst", true);
  if (r.delay_ms > 0) out.member("delayMs", r.delay_ms);
  out.end_object();
}

}  // namespace phone_handoff::plan
