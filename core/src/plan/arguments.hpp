// The arguments the operations around the plan share: plan and deliver (ops_plan.cpp,
// ops_deliver.cpp) and render (ops_zendesk.cpp). One reader each, so a handoff or a progress
// document means the same thing to every operation.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "config.hpp"
#include "json/reader.hpp"
#include "json/writer.hpp"
#include "phone_handoff/model.hpp"

namespace phone_handoff::plan {

// A handoff as parse returns it: either the handoff itself or parse's {"handoff": …, "warnings": …}
// result (errors then point into it: "/handoff/call_id"). Read without an nlohmann DOM
// (json/reader.hpp), the way parse reads webhook bodies.
bool read_handoff_argument(const json_reader::Value& doc, Handoff& out, Errors& errors);

// Absent or blank progress means "nothing done yet", like "{}" or "null". Progress is the
// executor's own record, so an unreadable one is a usage error (the executor must not guess and
// repeat requests): throws UsageError("bad_progress").
nlohmann::json progress_from_text(std::string_view text);

// Renders the handoff once (which redacts it, in place: the planner reads only ids, the caller's
// identity and the call's language, which redaction never touches) and writes the plan for it:
// what plan() returns.
void write_plan_for(JsonWriter& out, Handoff&& handoff, const Config& config, const nlohmann::json& progress);

}  // namespace phone_handoff::plan
