// Ingest adapters: each maps one platform's webhook document onto a *raw* Handoff, with values as
// the platform gives them (numbers not yet E.164, turns not yet sorted or de-duplicated, times
// already converted to the model's units). normalize() (normalize.hpp) does the rest, the same
// way for every platform. Errors carry JSON pointers into the platform's own document.
#pragma once

#include "json/reader.hpp"
#include "phone_handoff/model.hpp"

namespace phone_handoff::adapters {

// Returns false when the document cannot become a handoff (errors says why, at least one entry).
using Adapter = bool (*)(const json_reader::Value& doc, Handoff& out, Errors& errors);

bool canonical(const json_reader::Value& doc, Handoff& out, Errors& errors);
bool vapi(const json_reader::Value& doc, Handoff& out, Errors& errors);
bool retell(const json_reader::Value& doc, Handoff& out, Errors& errors);
bool elevenlabs(const json_reader::Value& doc, Handoff& out, Errors& errors);
bool bland(const json_reader::Value& doc, Handoff& out, Errors& errors);

}  // namespace phone_handoff::adapters
