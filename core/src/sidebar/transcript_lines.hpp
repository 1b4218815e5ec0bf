// Reads the transcript back from the messages render posted: packed lines "[mm:ss] Speaker: text"
// ("[h:mm:ss]" past an hour), a long turn split over several lines (or messages) that repeat the
// same prefix, and the optional metadata table "seq:speaker:start_ms:end_ms;…" that carries what
// the text cannot (exact times, who is the AI). Text is never dropped: a line that fits no pattern
// is kept as part of the turn before it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "phone_handoff/model.hpp"
#include "sidebar/conversation_messages.hpp"

namespace phone_handoff::sidebar {

// Views into the line it was read from.
struct TranscriptLine {
  std::optional<int64_t> offset_ms;   // the [mm:ss] stamp in ms; none for "[--:--]" (time unknown)
  std::string_view stamp;             // the stamp as written, e.g. "01:02"
  std::string_view speaker_label;     // as written, e.g. "Ava" or "Caller"
  std::string_view text;
};

// "[01:02] Ava: hello" → {62000, "01:02", "Ava", "hello"}; anything else → nullopt.
std::optional<TranscriptLine> parse_transcript_line(std::string_view line);

struct TurnTableEntry {
  int64_t seq = 0;
  std::optional<Speaker> speaker;
  std::optional<int64_t> start_ms;
  std::optional<int64_t> end_ms;
};

// "0:a:1400:3900;1:c:4000:;…" → entries; malformed entries are skipped (the text still shows).
std::vector<TurnTableEntry> parse_turn_table(std::string_view table);

struct SidebarTurn {
  int64_t seq = 0;
  Speaker speaker = Speaker::caller;
  std::string speaker_name;
  std::string text;
  std::optional<int64_t> start_ms;
  std::optional<int64_t> end_ms;
  bool speaker_known = false;   // from the metadata table rather than guessed from the label
};

struct SidebarToolCall {
  std::string name;
  std::optional<int64_t> at_ms;
  std::string result;
};

// Accumulates transcript messages in order and re-joins turns split across lines or messages.
class TranscriptAssembler {
 public:
  // True when the text looks like a packed transcript (its first non-empty line is a turn line).
  static bool looks_like_transcript(const std::string& text);

  void add_message(const ConversationMessage& message);
  // Speakers not given by metadata are guessed from their labels; `caller_name` helps.
  void finish(const std::string& caller_name);

  const std::vector<SidebarTurn>& turns() const { return turns_; }
  const std::vector<SidebarToolCall>& tool_calls() const { return tool_calls_; }

 private:
  void add_run(const TranscriptLine& first, std::string text, const TurnTableEntry* entry);

  std::vector<SidebarTurn> turns_;
  std::vector<SidebarToolCall> tool_calls_;
  std::string last_stamp_, last_label_;   // of the last turn, to spot continuations
};

}  // namespace phone_handoff::sidebar
