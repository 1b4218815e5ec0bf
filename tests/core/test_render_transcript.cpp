#include <catch2/catch.hpp>

#include <sstream>

#include "render/metadata.hpp"
#include "render/transcript.hpp"
#include "render/utf8.hpp"
#include "test_render_support.hpp"

using namespace phone_handoff;
using namespace phone_handoff::render;
using nlohmann::ordered_json;
using render_test::live_transfer;

namespace {

size_t code_points(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Every byte sequence is complete, well-formed UTF-8.
bool valid_utf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

void check_limits(const std::vector<ordered_json>& messages) {
  for (const auto& m : messages) {
    const std::string text = m["content"]["text"];
    CHECK(code_points(text) <= 4096);
    CHECK(text_units(text) <= 4096);
    CHECK(valid_utf8(text));
    CHECK(dump(m).size() <= 100 * 1024);
    CHECK(dump(m["metadata"]).size() <= 4096);
    for (const auto& [key, value] : m["metadata"].items()) CHECK(value.is_primitive());
  }
}

std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// The text of every line after its "[stamp] Label: " prefix, joined with spaces.
std::string line_bodies(const std::vector<ordered_json>& messages, const std::string& prefix) {
  std::string out;
  for (const auto& m : messages) {
    std::istringstream lines(m["content"]["text"].get<std::string>());
    for (std::string line; std::getline(lines, line);) {
      REQUIRE(line.rfind(prefix, 0) == 0);
      out += (out.empty() ? "" : " ") + line.substr(prefix.size());
    }
  }
  return out;
}

// A long, realistic call: alternating AI and caller turns of varied length.
Handoff long_call(size_t turns) {
  Handoff h = live_transfer();
  h.transcript.clear();
  const std::vector<std::string> phrases = {
      "Sure, let me look that up for you.", "My order hasn't arrived and the tracking page has not changed in a week.",
      "I can see the parcel left our warehouse on Monday; the carrier shows it in transit at the regional hub.",
      "OK.", "Can you send a replacement or refund it? I need it before Friday for my daughter's birthday party."};
  for (size_t i = 0; i < turns; ++i) {
    const int64_t start = static_cast<int64_t>(i) * 7000;
    h.transcript.push_back({i % 2 ? Speaker::caller : Speaker::ai, phrases[(i * 3) % phrases.size()] + " (" + std::to_string(i) + ")",
                            start, start + 6000, std::nullopt});
  }
  return h;
}

}  // namespace

TEST_CASE("transcript: stamps", "[render]") {
  CHECK(stamp(0) == "[00:00]");
  CHECK(stamp(65432) == "[01:05]");
  CHECK(stamp(3599999) == "[59:59]");
  CHECK(stamp(3600000) == "[1:00:00]");
  CHECK(stamp(37230000) == "[10:20:30]");
  CHECK(stamp(-5) == "[00:00]");
  CHECK(stamp(std::nullopt) == "[--:--]");
}

TEST_CASE("transcript: packed lines with speaker labels, tool calls in time order", "[render]") {
  Handoff h = live_transfer();
  h.transcript.push_back({Speaker::human_agent, "Hi Dana, Sam here.", 9000, 9900, std::nullopt});
  h.transcript.push_back({Speaker::system, "Call recording stopped.", std::nullopt, std::nullopt, std::nullopt});
  h.transcript.push_back({Speaker::caller, "", 9950, 9990, std::nullopt});   // nothing said: skipped
  h.tool_calls = {{"lookup_order", 5000, "order 1234: charged twice"}, {"notify", std::nullopt, "sent"}};
  Errors warnings;
  const auto messages = transcript_messages(h, Config{}, warnings);
  REQUIRE(messages.size() == 1);
  CHECK(messages[0]["content"]["text"] ==
        "[00:00] Ava: Hi, this is Ava. How can I help?\n"
        "[00:03] Dana Smith: I was charged twice and I want to talk to a person.\n"
        "[00:05] Tool lookup_order: order 1234: charged twice\n"
        "[00:07] Ava: I'll transfer you now.\n"
        "[00:09] Agent: Hi Dana, Sam here.\n"
        "[--:--] System: Call recording stopped.\n"
        "[--:--] Tool notify: sent");
  const auto& meta = messages[0]["metadata"];
  CHECK(meta["phone_handoff_kind"] == "transcript");
  CHECK(meta["opencx_session_id"] == "sess-42");
  CHECK(meta["phone_handoff_call_id"] == "call-1");
  CHECK(meta["phone_handoff_part"] == 1);
  CHECK(meta["phone_handoff_parts"] == 1);
  CHECK(meta["phone_handoff_first_turn"] == 0);
  CHECK(meta["phone_handoff_last_turn"] == 4);
  CHECK(meta["phone_handoff_turns"] == "0:a:0:2500;1:c:3000:6400;2:a:7000:8200;3:h:9000:9900;4:s::");
  CHECK(messages[0]["author"] == ordered_json({{"type", "business"}, {"displayName", "Ava"}}));
  CHECK(messages[0]["destination"] == ordered_json({{"integrationType", "none"}}));
  CHECK(warnings.empty());
}

TEST_CASE("transcript: the caller without a name is \"Caller\"; agent names come from the config first", "[render]") {
  Handoff h = live_transfer();
  h.caller.name.clear();
  Config config;
  config.agents["agent-1"].display_name = "Ava from Acme: Support";
  Errors warnings;
  const std::string text = transcript_messages(h, config, warnings)[0]["content"]["text"];
  CHECK(text.find("[00:03] Caller: I was charged") != std::string::npos);
  CHECK(text.find("[00:00] Ava from Acme Support: Hi") != std::string::npos);   // no ":" inside a label

  h.agent = {};
  CHECK(agent_display_name(h, Config{}) == "AI agent");
  h.agent.name = std::string(150, 'n');
  CHECK(code_points(agent_display_name(h, Config{})) == 100);
}

TEST_CASE("transcript: a 400-turn call packs into about bytes/4 KB messages, all within the limits", "[render]") {
  const Handoff h = long_call(400);
  Errors warnings;
  const auto messages = transcript_messages(h, Config{}, warnings);
  CHECK(warnings.empty());
  check_limits(messages);
  size_t total = 0;
  for (const auto& m : messages) total += m["content"]["text"].get<std::string>().size() + 1;
  const size_t ideal = (total + 4095) / 4096;
  INFO("transcript bytes " << total << ", messages " << messages.size());
  CHECK(messages.size() >= ideal);
  CHECK(messages.size() <= ideal + 1);
  // Parts are numbered, turns are covered once each in order, tables match the lines.
  int64_t next_turn = 0;
  for (size_t i = 0; i < messages.size(); ++i) {
    const auto& meta = messages[i]["metadata"];
    CHECK(meta["phone_handoff_part"] == i + 1);
    CHECK(meta["phone_handoff_parts"] == messages.size());
    CHECK(meta["phone_handoff_first_turn"] == next_turn);
    next_turn = meta["phone_handoff_last_turn"].get<int64_t>() + 1;
  }
  CHECK(next_turn == 400);
}

TEST_CASE("transcript: many tiny turns are limited by the metadata table, not only the text", "[render]") {
  Handoff h = live_transfer();
  h.transcript.clear();
  for (int i = 0; i < 2000; ++i)
    h.transcript.push_back({i % 2 ? Speaker::caller : Speaker::ai, "ok", int64_t{i} * 1000000, int64_t{i} * 1000000 + 999999, std::nullopt});
  Errors warnings;
  const auto messages = transcript_messages(h, Config{}, warnings);
  check_limits(messages);
  CHECK(messages.size() > 1);
}

TEST_CASE("transcript: a 10,000-character turn splits at word boundaries and reassembles", "[render]") {
  Handoff h = live_transfer();
  std::string turn;
  for (int i = 0; turn.size() < 10000; ++i) turn += (turn.empty() ? "" : " ") + std::string("word") + std::to_string(i);
  h.transcript = {{Speaker::caller, turn, 61000, 200000, std::nullopt}};
  Errors warnings;
  const auto messages = transcript_messages(h, Config{}, warnings);
  check_limits(messages);
  CHECK(messages.size() == 3);
  CHECK(words_of(line_bodies(messages, "[01:01] Dana Smith: ")) == words_of(turn));
  for (const auto& m : messages) CHECK(m["metadata"]["phone_handoff_turns"] == "0:c:61000:200000");
}

TEST_CASE("transcript: non-Latin text and emoji are never split inside a code point", "[render]") {
  Handoff h = live_transfer();
  std::string cjk, emoji, unbroken;
  for (int i = 0; i < 1500; ++i) cjk += "\xE6\xBC\xA2\xE5\xAD\x97 ";          // "漢字 "
  for (int i = 0; i < 3000; ++i) emoji += "\xF0\x9F\x98\x80";                // 😀 without spaces
  for (int i = 0; i < 5000; ++i) unbroken += "\xD0\x96";                     // Ж, one long word
  h.transcript = {{Speaker::caller, cjk, 0, 1, std::nullopt},
                  {Speaker::ai, emoji, 2, 3, std::nullopt},
                  {Speaker::caller, unbroken, 4, 5, std::nullopt}};
  Errors warnings;
  const auto messages = transcript_messages(h, Config{}, warnings);
  check_limits(messages);
  // The emoji turn is 6000 UTF-16 units: two pieces, together every emoji exactly once.
  std::string emoji_back;
  for (const auto& m : messages) {
    std::istringstream lines(m["content"]["text"].get<std::string>());
    for (std::string line; std::getline(lines, line);)
      if (line.rfind("[00:00] Ava: ", 0) == 0) emoji_back += line.substr(std::string("[00:00] Ava: ").size());
  }
  CHECK(emoji_back == emoji);
}

TEST_CASE("transcript: split_at_words", "[render]") {
  CHECK(split_at_words("one two three", 7) == std::vector<std::string>{"one two", "three"});
  CHECK(split_at_words("abcdefghij", 4) == std::vector<std::string>{"abcd", "efgh", "ij"});
  CHECK(split_at_words("ab cdefghij", 4) == std::vector<std::string>{"ab", "cdef", "ghij"});
  CHECK(split_at_words("", 4).empty());
}

TEST_CASE("transcript: per-turn style authors caller turns as the caller", "[render]") {
  Config config;
  config.transcript_style = TranscriptStyle::per_turn;
  Handoff h = live_transfer();
  h.transcript.push_back({Speaker::human_agent, "Sam here.", 9000, 9500, std::nullopt});
  Errors warnings;
  const auto messages = transcript_messages(h, config, warnings);
  check_limits(messages);
  REQUIRE(messages.size() == 4);
  CHECK(messages[0]["author"] == ordered_json({{"type", "business"}, {"displayName", "Ava"}}));
  CHECK(messages[1]["author"] == ordered_json({{"type", "user"}, {"userExternalId", "{userExternalId}"}}));
  CHECK_FALSE(messages[1].contains("destination"));   // only business messages may name one
  CHECK(messages[1]["content"]["text"] == "[00:03] Dana Smith: I was charged twice and I want to talk to a person.");
  CHECK(messages[3]["author"]["type"] == "business");
  CHECK(messages[3]["destination"] == ordered_json({{"integrationType", "none"}}));
  CHECK(messages[1]["metadata"]["phone_handoff_turns"] == "1:c:3000:6400");
  CHECK(messages[3]["metadata"]["phone_handoff_part"] == 4);
  CHECK(messages[3]["metadata"]["phone_handoff_parts"] == 4);
}

TEST_CASE("transcript: a cut through a long word keeps accents, emoji modifiers and ZWJ sequences whole", "[render]") {
  std::string accented, coders;
  for (int i = 0; i < 3000; ++i) accented += "e\xCC\x81";                                  // e + U+0301
  for (int i = 0; i < 1000; ++i) coders += "\xF0\x9F\x91\xA9\xF0\x9F\x8F\xBD\xE2\x80\x8D\xF0\x9F\x92\xBB";   // 👩🏽‍💻
  for (const std::string& word : {accented, coders}) {
    const auto pieces = split_at_words(word, 1000);
    REQUIRE(pieces.size() > 1);
    std::string back;
    for (const auto& p : pieces) {
      CHECK(text_units(p) <= 1000);
      CHECK(p.rfind("\xCC\x81", 0) != 0);                 // no piece starts with a combining mark
      CHECK(p.rfind("\xF0\x9F\x8F\xBD", 0) != 0);         // …or a skin-tone modifier
      CHECK(p.rfind("\xE2\x80\x8D", 0) != 0);             // …or a joiner
      CHECK(p.find("\xE2\x80\x8D", p.size() - 3) == std::string::npos);   // nor ends with one
      back += p;
    }
    CHECK(back == word);
  }
}
