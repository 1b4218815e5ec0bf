// UTF-8 helpers for the limits Sunshine counts in "characters". Nothing here ever cuts inside a
// UTF-8 sequence. Invalid bytes count as one character each (they are replaced on output anyway).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace phone_handoff::render {

// How Sunshine's 4096-character text limit is measured here: UTF-16 code units (a character
// outside the Basic Multilingual Plane, such as most emoji, counts 2). That is never less than the
// code-point count, so text within this limit is within it however Sunshine counts.
size_t text_units(std::string_view text);

// Byte length of the longest prefix of `text` that is at most `max_units` units long and ends on
// a code point boundary.
size_t prefix_bytes_within(std::string_view text, size_t max_units);

// Moves a cut (a code point boundary) back so it does not separate what a reader sees as one
// character: a base from its combining marks, variation selector or skin-tone modifier, or the
// two sides of a zero-width joiner (👩‍💻). Gives `cut` back unchanged when no such place is
// found within a few code points, or when backing off would leave nothing before it.
size_t cluster_safe_cut(std::string_view text, size_t cut);

// `text` shortened to at most `max_units` units, ending in "…" when anything was cut.
std::string truncate_units(std::string_view text, size_t max_units);

// Same, by UTF-8 bytes (for metadata budgets).
std::string truncate_bytes(std::string_view text, size_t max_bytes);

// Control characters and line breaks become single spaces, runs of spaces collapse, ends are
// trimmed: a value that must sit on one line (labels, names, metadata).
std::string one_line(std::string_view text);
// Whether one_line(text) == text (so the text can be used as it is); one_line_units decides.
bool is_one_line(std::string_view text);
// text_units(text) when is_one_line(text), else nothing: both in one pass over the text (each
// transcript turn needs both, and reading 80 KB of turns twice showed in every deliver).
std::optional<size_t> one_line_units(std::string_view text);

}  // namespace phone_handoff::render
