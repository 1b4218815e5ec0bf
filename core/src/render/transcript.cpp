#include "render/transcript.hpp"

#include <algorithm>
#include <cstdint>
#include <tuple>
#include <utility>
#include <charconv>

#include "render/metadata.hpp"
#include "render/strings.hpp"
#include "render/utf8.hpp"

namespace phone_handoff::render {
namespace {

using ordered_json = nlohmann::ordered_json;

// An empty object with room for `members`. An ordered_json object is a vector of (const key,
// value) pairs, and growing it copies every pair (the const key makes their move throwing): a
// message built member by member, or from an initializer list, copied its whole text and
// metadata on the way.
ordered_json object_with_room(size_t members) {
  ordered_json object = ordered_json::object();
  object.get_ref<ordered_json::object_t&>().reserve(members);
  return object;
}

char speaker_code(Speaker s) {
  switch (s) {
    case Speaker::ai: return 'a';
    case Speaker::caller: return 'c';
    case Speaker::human_agent: return 'h';
    case Speaker::system: return 's';
  }
  return 's';
}

// A label sits between "]" and ": " on a line the sidebar parses, so it must be one line
// without colons.
std::string line_label(std::string_view raw) {
  std::string s(raw);
  std::replace(s.begin(), s.end(), ':', ' ');
  return truncate_units(one_line(s), kDisplayNameLimit);
}

// A stamp or a turn table entry (at most ~70 bytes) put together in a fixed array and then
// appended in one piece: appending it to a string piece by piece cost more than the digits.
class Scratch {
 public:
  Scratch& put(char c) {
    *end_++ = c;
    return *this;
  }
  Scratch& number(int64_t n) {
    end_ = std::to_chars(end_, bytes_ + sizeof bytes_, n).ptr;
    return *this;
  }
  Scratch& two_digits(int64_t n) {   // 0 ≤ n < 60
    return put(static_cast<char>('0' + n / 10)).put(static_cast<char>('0' + n % 10));
  }
  std::string_view view() const { return {bytes_, static_cast<size_t>(end_ - bytes_)}; }

 private:
  char bytes_[96];
  char* end_ = bytes_;
};

// "[mm:ss]", "[h:mm:ss]" or "[--:--]" (see stamp()).
Scratch& put_stamp(Scratch& out, std::optional<int64_t> offset_ms) {
  if (!offset_ms) {
    for (char c : std::string_view("[--:--]")) out.put(c);
    return out;
  }
  const int64_t total = std::max<int64_t>(0, *offset_ms) / 1000;
  const int64_t h = total / 3600, m = total % 3600 / 60, s = total % 60;
  out.put('[');
  if (h > 0) out.number(h).put(':');
  return out.two_digits(m).put(':').two_digits(s).put(']');
}

// One transcript line's worth of source: a turn, or a tool call (which has no seq).
struct Item {
  std::optional<int64_t> seq;
  Speaker speaker = Speaker::system;
  // "[00:12] Ava: " and the turn table entry "seq:c:start:end" (turns only), kept in the item
  // list's shared store (Items) rather than in two heap strings per turn.
  uint32_t prefix_at = 0, prefix_size = 0, entry_at = 0, entry_size = 0;
  std::string bare_line;     // a tool call with no result: the prefix alone, as one line

  // The text as one line: the handoff's own text when it already is one (most turns), so it is
  // not copied, else a cleaned copy.
  std::string_view text() const { return owns_text ? std::string_view(own_text) : borrowed_text; }
  size_t text_units() const { return units; }   // render::text_units(text())
  void set_text(std::string_view raw) {
    if (const auto one_line_units = render::one_line_units(raw)) {
      borrowed_text = raw;
      units = *one_line_units;
    } else {
      own_text = one_line(raw);
      owns_text = true;
      units = render::text_units(own_text);
    }
  }

 private:
  std::string_view borrowed_text;
  std::string own_text;
  bool owns_text = false;
  size_t units = 0;
};

std::optional<int64_t> turn_offset(const Handoff& h, const Turn& t) {
  if (t.start_ms) return std::max<int64_t>(0, *t.start_ms);
  if (t.at_unix_ms && h.call.started_at_unix_ms) return std::max<int64_t>(0, *t.at_unix_ms - *h.call.started_at_unix_ms);
  return std::nullopt;
}

std::string speaker_label(const Handoff& h, const Config& config, Speaker s) {
  switch (s) {
    case Speaker::caller: return h.caller.name.empty() ? text(config.locale, Text::speaker_caller) : line_label(h.caller.name);
    case Speaker::ai: return line_label(agent_display_name(h, config));
    case Speaker::human_agent: return text(config.locale, Text::speaker_human_agent);
    case Speaker::system: return text(config.locale, Text::speaker_system);
  }
  return "";
}

// The four labels, worked out once per transcript rather than once per turn.
struct SpeakerLabels {
  SpeakerLabels(const Handoff& h, const Config& config) {
    for (Speaker s : {Speaker::ai, Speaker::caller, Speaker::human_agent, Speaker::system})
      labels[static_cast<size_t>(s)] = speaker_label(h, config, s);
  }
  const std::string& operator[](Speaker s) const { return labels[static_cast<size_t>(s)]; }
  std::string labels[4];
};

// "seq:c:start:end"
Scratch& put_table_entry(Scratch& out, size_t seq, const Turn& turn) {
  out.number(static_cast<int64_t>(seq)).put(':').put(speaker_code(turn.speaker)).put(':');
  if (turn.start_ms) out.number(*turn.start_ms);
  out.put(':');
  if (turn.end_ms) out.number(*turn.end_ms);
  return out;
}

// The items in order, and the store their prefixes and table entries point into.
struct Items {
  std::vector<Item> list;
  std::string store;

  std::string_view prefix(const Item& item) const { return std::string_view(store).substr(item.prefix_at, item.prefix_size); }
  std::string_view entry(const Item& item) const { return std::string_view(store).substr(item.entry_at, item.entry_size); }

  // Appends what `write` writes to the store; gives its place.
  template <class Write>
  std::pair<uint32_t, uint32_t> stored(Write write) {
    const size_t at = store.size();
    write(store);
    return {static_cast<uint32_t>(at), static_cast<uint32_t>(store.size() - at)};
  }
};

// Turns in transcript order, tool calls placed before the first turn that starts after them
// (tool calls without a time go last). Turns with no text carry nothing and are skipped.
Items items_of(const Handoff& h, const Config& config) {
  std::vector<const ToolCall*> tools;
  for (const ToolCall& t : h.tool_calls) tools.push_back(&t);
  std::stable_sort(tools.begin(), tools.end(), [](const ToolCall* a, const ToolCall* b) {
    if (a->at_ms.has_value() != b->at_ms.has_value()) return a->at_ms.has_value();
    return a->at_ms.value_or(0) < b->at_ms.value_or(0);
  });
  const std::string tool_word = text(config.locale, Text::speaker_tool);
  Items items;
  items.list.reserve(h.transcript.size() + tools.size());
  items.store.reserve(48 * (h.transcript.size() + tools.size()));
  auto tool_item = [&](const ToolCall& t) {
    const std::string name = line_label(t.name);
    Scratch stamp_and_space;
    put_stamp(stamp_and_space, t.at_ms).put(' ');
    Item item;
    std::tie(item.prefix_at, item.prefix_size) = items.stored([&](std::string& out) {
      out.append(stamp_and_space.view()).append(tool_word);   // "[00:12] Tool lookup_order: "
      if (!name.empty()) out.append(" ", 1).append(name);
      out.append(": ", 2);
    });
    item.set_text(t.result);
    if (item.text().empty()) item.bare_line = one_line(items.prefix(item));
    return item;
  };

  const SpeakerLabels labels(h, config);
  size_t next_tool = 0;
  for (size_t seq = 0; seq < h.transcript.size(); ++seq) {
    const Turn& turn = h.transcript[seq];
    const auto offset = turn_offset(h, turn);
    while (next_tool < tools.size() && tools[next_tool]->at_ms && offset && *tools[next_tool]->at_ms < *offset)
      items.list.push_back(tool_item(*tools[next_tool++]));
    Item item;
    item.set_text(turn.text);
    if (item.text().empty()) continue;
    item.seq = static_cast<int64_t>(seq);
    item.speaker = turn.speaker;
    const std::string& label = labels[turn.speaker];
    Scratch stamp_and_space, entry;
    put_stamp(stamp_and_space, offset).put(' ');
    put_table_entry(entry, seq, turn);
    std::tie(item.prefix_at, item.prefix_size) =
        items.stored([&](std::string& out) { out.append(stamp_and_space.view()).append(label).append(": ", 2); });
    std::tie(item.entry_at, item.entry_size) = items.stored([&](std::string& out) { out.append(entry.view()); });
    items.list.push_back(std::move(item));
  }
  while (next_tool < tools.size()) items.list.push_back(tool_item(*tools[next_tool++]));
  return items;
}

// One line of a message: the item's prefix and a piece of its text ("[00:12] Ava: " + "Hello"),
// pointing into the item rather than copied.
struct Line {
  std::string_view prefix, piece;
  size_t units;  // text_units of the whole line
};

// split_at_words, as views into `text`.
std::vector<std::string_view> word_pieces(std::string_view text, size_t max_units) {
  std::vector<std::string_view> pieces;
  if (max_units == 0) return pieces;
  while (!text.empty()) {
    const size_t cut = prefix_bytes_within(text, max_units);   // looks at one piece's worth only
    if (cut == text.size()) {
      pieces.push_back(text);
      break;
    }
    size_t end = cut, resume = cut;
    if (text[cut] == ' ') {
      resume = cut + 1;
    } else if (const size_t space = text.substr(0, cut).rfind(' '); space != std::string_view::npos && space > 0) {
      end = space;
      resume = space + 1;
    } else {   // one word longer than a piece: cut it, but not through a visible character
      end = resume = cluster_safe_cut(text, cut);
    }
    pieces.push_back(text.substr(0, end));
    text.remove_prefix(resume);
  }
  return pieces;
}

// One message being filled.
struct Draft {
  std::string text;
  size_t units = 0;
  std::string table;                  // "seq:c:start:end;…"
  std::optional<int64_t> first_turn, last_turn;
};

class Transcript {
 public:
  Transcript(const Handoff& h, const Config& config, Errors& warnings)
      : handoff_(h), config_(config), warnings_(warnings), display_name_(agent_display_name(h, config)) {
    // The metadata without its turn table, at the widest numbers it can hold: what is left of
    // 4 KB is the table's budget.
    with_ids_ = metadata_base_bytes(true) <= kMetadataLimit / 2;
    if (!with_ids_)
      warnings_.push_back({"/messages", "session_id/call_id too long for transcript message metadata; left out there"});
    table_budget_ = kMetadataLimit - metadata_base_bytes(with_ids_);
  }

  std::vector<ordered_json> packed() {
    std::vector<Draft> drafts(1);
    const Items items = items_of(handoff_, config_);
    for (const Item& item : items.list) {
      for_each_line(items, item, [&](const Line& line) {
        const size_t line_units = line.units;
        Draft* d = &drafts.back();
        const bool new_entry = item.seq && d->last_turn != item.seq;
        const size_t entry_bytes = new_entry ? item.entry_size + (d->table.empty() ? 0 : 1) : 0;
        const bool fits = d->units + (d->text.empty() ? 0 : 1) + line_units <= kMessageTextLimit &&
                          d->table.size() + entry_bytes <= table_budget_;
        if (!fits && !d->text.empty()) {
          drafts.emplace_back();
          d = &drafts.back();
        }
        append(*d, line, items, item);
      });
    }
    if (drafts.back().text.empty()) drafts.pop_back();
    std::vector<ordered_json> messages;
    messages.reserve(drafts.size());
    for (size_t i = 0; i < drafts.size(); ++i)
      messages.push_back(business_message(display_name_, std::move(drafts[i].text), metadata(drafts[i], i + 1, drafts.size())));
    return messages;
  }

  std::vector<ordered_json> per_turn() {
    std::vector<std::pair<const Item*, Draft>> drafts;
    const Items items = items_of(handoff_, config_);
    for (const Item& item : items.list) {
      for_each_line(items, item, [&](const Line& line) {
        Draft d;
        append(d, line, items, item);
        drafts.emplace_back(&item, std::move(d));
      });
    }
    std::vector<ordered_json> messages;
    for (size_t i = 0; i < drafts.size(); ++i) {
      const auto& [item, d] = drafts[i];
      ordered_json meta = metadata(d, i + 1, drafts.size());
      if (item->seq && item->speaker == Speaker::caller) {
        messages.push_back({{"author", {{"type", "user"}, {"userExternalId", kUserExternalIdPlaceholder}}},
                            {"content", {{"type", "text"}, {"text", d.text}}},
                            {"metadata", std::move(meta)}});
      } else {
        messages.push_back(business_message(display_name_, d.text, std::move(meta)));
      }
    }
    return messages;
  }

 private:
  // The item's lines, in order. The prefix ends in ": " (ASCII), so a line's units are the
  // prefix's plus the piece's.
  template <class Visit>
  static void for_each_line(const Items& items, const Item& item, Visit visit) {
    if (item.text().empty()) {   // a tool call with no result
      visit(Line{item.bare_line, {}, text_units(item.bare_line)});
      return;
    }
    const std::string_view prefix = items.prefix(item);
    const size_t prefix_units = text_units(prefix);
    const size_t room = kMessageTextLimit - prefix_units;
    const size_t text_units_all = item.text_units();
    if (text_units_all <= room) {   // the whole text on one line: most turns
      visit(Line{prefix, item.text(), prefix_units + text_units_all});
      return;
    }
    for (std::string_view piece : word_pieces(item.text(), room))
      visit(Line{prefix, piece, prefix_units + text_units(piece)});
  }

  static void append(Draft& d, const Line& line, const Items& items, const Item& item) {
    if (!d.text.empty()) {
      d.text += '\n';
      ++d.units;
    }
    if (d.text.capacity() == 0) d.text.reserve(kMessageTextLimit + 64);
    d.text.append(line.prefix).append(line.piece);
    d.units += line.units;
    if (item.seq && d.last_turn != item.seq) {
      if (!d.table.empty()) d.table += ';';
      d.table += items.entry(item);
      if (!d.first_turn) d.first_turn = item.seq;
      d.last_turn = item.seq;
    }
  }

  ordered_json metadata(const Draft& d, size_t part, size_t parts) const {
    ordered_json m = object_with_room(8);
    m["phone_handoff_kind"] = "transcript";
    if (with_ids_ && !handoff_.session_id.empty()) m["opencx_session_id"] = handoff_.session_id;
    if (with_ids_ && !handoff_.call_id.empty()) m["phone_handoff_call_id"] = handoff_.call_id;
    m["phone_handoff_part"] = part;
    m["phone_handoff_parts"] = parts;
    if (d.first_turn) m["phone_handoff_first_turn"] = *d.first_turn;
    if (d.last_turn) m["phone_handoff_last_turn"] = *d.last_turn;
    if (!d.table.empty()) m["phone_handoff_turns"] = d.table;
    return m;
  }

  size_t metadata_base_bytes(bool with_ids) const {
    ordered_json m = ordered_json::object();
    m["phone_handoff_kind"] = "transcript";
    if (with_ids) {
      m["opencx_session_id"] = handoff_.session_id;
      m["phone_handoff_call_id"] = handoff_.call_id;
    }
    const int64_t widest = 999999999999;   // more turns or parts than any call has
    for (const char* key : {"phone_handoff_part", "phone_handoff_parts", "phone_handoff_first_turn",
                            "phone_handoff_last_turn"})
      m[key] = widest;
    m["phone_handoff_turns"] = "";
    return dump(m).size();
  }

  const Handoff& handoff_;
  const Config& config_;
  Errors& warnings_;
  std::string display_name_;
  bool with_ids_ = true;
  size_t table_budget_ = 0;
};

// At least the compact JSON size of `value`: 6 bytes per string byte (\u00XX), 24 per number.
size_t size_bound(const ordered_json& value) {
  switch (value.type()) {
    case ordered_json::value_t::object: {
      size_t bytes = 2;
      for (auto it = value.begin(); it != value.end(); ++it) bytes += 6 * it.key().size() + 4 + size_bound(it.value());
      return bytes;
    }
    case ordered_json::value_t::array: {
      size_t bytes = 2;
      for (const auto& element : value) bytes += size_bound(element) + 1;
      return bytes;
    }
    case ordered_json::value_t::string: return 6 * value.get_ref<const std::string&>().size() + 2;
    default: return 24;
  }
}

}  // namespace

std::string agent_display_name(const Handoff& h, const Config& config) {
  std::string name;
  auto it = config.agents.find(h.agent.id);
  if (!h.agent.id.empty() && it != config.agents.end()) name = one_line(it->second.display_name);
  if (name.empty()) name = one_line(h.agent.name);
  if (name.empty()) name = one_line(config.ai_display_name);
  return truncate_units(name, kDisplayNameLimit);
}

std::string stamp(std::optional<int64_t> offset_ms) {
  Scratch out;
  return std::string(put_stamp(out, offset_ms).view());
}

std::vector<std::string> split_at_words(std::string_view text, size_t max_units) {
  const std::vector<std::string_view> pieces = word_pieces(text, max_units);
  return {pieces.begin(), pieces.end()};
}

ordered_json business_message(const std::string& display_name, std::string text, ordered_json metadata) {
  ordered_json author = object_with_room(2), content = object_with_room(2), message = object_with_room(4);
  author["type"] = "business";
  author["displayName"] = display_name;
  content["type"] = "text";
  content["text"] = std::move(text);
  message["author"] = std::move(author);
  message["content"] = std::move(content);
  message["metadata"] = std::move(metadata);
  message["destination"] = {{"integrationType", "none"}};
  return message;
}

std::vector<ordered_json> transcript_messages(const Handoff& h, const Config& config, Errors& warnings) {
  Transcript transcript(h, config, warnings);
  std::vector<ordered_json> messages =
      config.transcript_style == TranscriptStyle::per_turn ? transcript.per_turn() : transcript.packed();
  // By construction a body is at most 4096 characters of text (≤ 24 KB even if every character
  // were escaped as \u00XX) plus 4 KB of metadata and a short author; this only guards the claim,
  // serialising a body only when a bound on its size (every string byte escaped) could exceed it.
  for (size_t i = 0; i < messages.size(); ++i)
    if (size_bound(messages[i]) > kMessageBodyLimit && dump(messages[i]).size() > kMessageBodyLimit)
      warnings.push_back({"/messages", "transcript message " + std::to_string(i + 1) + " exceeds 100 KB"});
  return messages;
}

}  // namespace phone_handoff::render
