#include "sidebar/transcript_lines.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "sidebar/stable_order.hpp"
#include "sidebar/text_util.hpp"

namespace phone_handoff::sidebar {
namespace {

// "mm:ss" or "h:mm:ss" → ms. Minutes and seconds past the first field must be two digits < 60.
std::optional<int64_t> stamp_ms(std::string_view stamp) {
  const size_t fields = static_cast<size_t>(std::count(stamp.begin(), stamp.end(), ':')) + 1;
  if (fields != 2 && fields != 3) return std::nullopt;
  int64_t total = 0;
  Pieces parts(stamp, ':');
  size_t i = 0;
  for (std::string_view part; parts.next(part); ++i) {
    auto n = parse_digits(part, kSmallNumberDigits);
    if (!n) return std::nullopt;
    if (i > 0 && (part.size() != 2 || *n >= 60)) return std::nullopt;
    total = total * 60 + *n;
  }
  return total * 1000;
}

std::optional<Speaker> speaker_from_code(std::string_view code) {
  if (code == "a") return Speaker::ai;
  if (code == "c") return Speaker::caller;
  if (code == "h") return Speaker::human_agent;
  if (code == "s") return Speaker::system;
  return std::nullopt;
}

// A line whose label names a tool ("Tool lookup_order: result", or "Tool: result" when the
// platform gave no name) is a tool call shown at its time, not a spoken turn.
std::optional<SidebarToolCall> as_tool_call(const TranscriptLine& line) {
  const std::string label = to_lower(line.speaker_label);
  std::string_view name;
  if (starts_with(label, "tool call ")) name = line.speaker_label.substr(10);
  else if (starts_with(label, "tool ")) name = line.speaker_label.substr(5);
  else if (label != "tool" && label != "tool call") return std::nullopt;
  return SidebarToolCall{trim(name), line.offset_ms, trim(line.text)};
}

std::optional<Speaker> speaker_from_label(const std::string& label, const std::string& caller_name) {
  const std::string l = to_lower(trim(label));
  if (l == "caller" || l == "customer" || l == "user" || l == "client" || l == "end user" ||
      (!caller_name.empty() && l == to_lower(trim(caller_name))))
    return Speaker::caller;
  if (l == "system") return Speaker::system;
  if (l == "agent" || l == "human agent" || l == "human" || l == "rep" || l == "representative")
    return Speaker::human_agent;
  if (l == "ai" || l == "ai agent" || l == "assistant" || l == "bot" || l == "virtual agent")
    return Speaker::ai;
  return std::nullopt;
}

struct Run {
  TranscriptLine first;
  std::string text;
};

}  // namespace

std::optional<TranscriptLine> parse_transcript_line(std::string_view line) {
  if (line.size() < 8 || line[0] != '[') return std::nullopt;
  const size_t close = line.find(']');
  if (close == std::string_view::npos || close + 1 >= line.size() || line[close + 1] != ' ')
    return std::nullopt;
  const std::string_view stamp = line.substr(1, close - 1);
  // Render writes "[--:--]" for a turn or tool call whose time the platform did not give.
  const bool unknown_time = stamp == "--:--";
  auto ms = stamp_ms(stamp);
  if (!ms && !unknown_time) return std::nullopt;
  const std::string_view rest = line.substr(close + 2);
  const size_t colon = rest.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 80) return std::nullopt;
  std::string_view text = rest.substr(colon + 1);
  if (!text.empty() && text[0] == ' ') text.remove_prefix(1);
  return TranscriptLine{ms, stamp, rest.substr(0, colon), text};
}

std::vector<TurnTableEntry> parse_turn_table(std::string_view table) {
  std::vector<TurnTableEntry> out;
  Pieces items(table, ';');
  for (std::string_view item; items.next(item);) {
    if (item.empty()) continue;
    std::string_view f[4];
    size_t count = 0;
    Pieces fields(item, ':');
    for (std::string_view field; fields.next(field); ++count)
      if (count < 4) f[count] = field;
    if (count != 4) continue;
    auto seq = parse_digits(f[0], kSmallNumberDigits);
    if (!seq) continue;
    TurnTableEntry e;
    e.seq = *seq;
    e.speaker = speaker_from_code(f[1]);
    if (auto v = parse_digits(f[2], kSmallNumberDigits)) e.start_ms = *v;
    if (auto v = parse_digits(f[3], kSmallNumberDigits)) e.end_ms = *v;
    out.push_back(e);
  }
  return out;
}

bool TranscriptAssembler::looks_like_transcript(const std::string& text) {
  Pieces lines(text, '\n');
  for (std::string_view line; lines.next(line);) {
    if (is_blank(line)) continue;
    return parse_transcript_line(line).has_value();
  }
  return false;
}

void TranscriptAssembler::add_message(const ConversationMessage& message) {
  const std::vector<TurnTableEntry> table = parse_turn_table(message.meta_string("phone_handoff_turns"));
  std::vector<Run> runs;
  Pieces lines(message.text, '\n');
  for (std::string_view raw; lines.next(raw);) {
    auto line = parse_transcript_line(raw);
    if (!line) {
      if (is_blank(raw)) continue;
      // Free text inside a transcript message belongs to the turn it follows.
      if (!runs.empty()) runs.back().text.append("\n").append(raw);
      else if (!turns_.empty()) turns_.back().text.append("\n").append(raw);
      else runs.push_back({TranscriptLine{}, std::string(raw)});
      continue;
    }
    if (auto tool = as_tool_call(*line)) {
      tool_calls_.push_back(std::move(*tool));
      continue;
    }
    const bool continues = !runs.empty() && runs.back().first.stamp == line->stamp &&
                           runs.back().first.speaker_label == line->speaker_label;
    if (continues) runs.back().text.append(" ").append(line->text);
    else runs.push_back({*line, std::string(line->text)});
  }
  for (size_t i = 0; i < runs.size(); ++i) {
    const TurnTableEntry* entry = i < table.size() ? &table[i] : nullptr;
    add_run(runs[i].first, std::move(runs[i].text), entry);
  }
}

void TranscriptAssembler::add_run(const TranscriptLine& first, std::string text, const TurnTableEntry* entry) {
  // A turn split across two messages: the table repeats its seq; without a table, the prefix.
  const bool continues_last =
      !turns_.empty() && (entry ? turns_.back().seq == entry->seq
                                : (!first.stamp.empty() && first.stamp == last_stamp_ &&
                                   first.speaker_label == last_label_));
  if (continues_last) {
    SidebarTurn& last = turns_.back();
    last.text.append(" ").append(text);
    if (entry && !last.end_ms) last.end_ms = entry->end_ms;   // the later part may know the end
    return;
  }
  SidebarTurn turn;
  turn.seq = entry ? entry->seq : (turns_.empty() ? 0 : turns_.back().seq + 1);
  turn.speaker_name = first.speaker_label;
  turn.text = std::move(text);
  turn.start_ms = entry && entry->start_ms ? entry->start_ms : first.offset_ms;
  if (entry) turn.end_ms = entry->end_ms;
  if (entry && entry->speaker) {
    turn.speaker = *entry->speaker;
    turn.speaker_known = true;
  }
  if (first.stamp.empty()) {   // text before any turn line: show it, attributed to nobody
    turn.speaker = Speaker::system;
    turn.speaker_known = true;
  }
  turns_.push_back(std::move(turn));
  last_stamp_.assign(first.stamp);
  last_label_.assign(first.speaker_label);
}

void TranscriptAssembler::finish(const std::string& caller_name) {
  // Labels the metadata identified in one message identify the same label everywhere.
  std::map<std::string, Speaker> by_label;
  for (const SidebarTurn& t : turns_)
    if (t.speaker_known && !t.speaker_name.empty()) by_label.emplace(t.speaker_name, t.speaker);
  bool ai_assigned = std::any_of(by_label.begin(), by_label.end(),
                                 [](const auto& kv) { return kv.second == Speaker::ai; });
  for (SidebarTurn& t : turns_) {
    if (t.speaker_known) continue;
    auto known = by_label.find(t.speaker_name);
    if (known != by_label.end()) {
      t.speaker = known->second;
      continue;
    }
    // An unknown name is the AI agent's display name the first time (the AI answers the call),
    // anyone else's afterwards: the caller is the only other party on an AI call.
    Speaker guess = Speaker::caller;
    if (auto s = speaker_from_label(t.speaker_name, caller_name)) guess = *s;
    else if (!ai_assigned) guess = Speaker::ai;
    if (guess == Speaker::ai) ai_assigned = true;
    by_label.emplace(t.speaker_name, guess);
    t.speaker = guess;
  }
  stable_sort_by(tool_calls_, [](const SidebarToolCall& c) { return c.at_ms.value_or(0); });
}

}  // namespace phone_handoff::sidebar
