#include "sidebar/summary_text.hpp"

#include <cctype>

#include "sidebar/text_util.hpp"
#include "time_util.hpp"

namespace phone_handoff::sidebar {
namespace {

enum class Field {
  asked_for, unresolved, reason, mode, destination, follow_up, callback, caller, caller_name, call,
  caller_phone, caller_email, started_at, duration, sentiment, session_url, recording_url,
  session_id, call_id, summary
};

// Lower case, punctuation to single spaces: "**Caller asked for**" → "caller asked for".
std::string normalise_label(std::string_view label) {
  std::string out;
  for (char c : label) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) out += static_cast<char>(std::tolower(u));
    else if (!out.empty() && out.back() != ' ') out += ' ';
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

struct Label {
  std::string_view text;   // normalised (normalise_label)
  Field field;
};

// A plain table rather than a std::map: a summary has a dozen lines, and the sidebar's download
// is smaller without the map's code and the start-up construction of 72 strings.
constexpr Label kLabels[] = {
    {"caller asked for", Field::asked_for}, {"asked for", Field::asked_for},
    {"caller asked", Field::asked_for}, {"caller wanted", Field::asked_for},
    {"caller request", Field::asked_for}, {"request", Field::asked_for},
    {"what the caller asked for", Field::asked_for},
    {"ai could not resolve", Field::unresolved}, {"could not resolve", Field::unresolved},
    {"ai unresolved", Field::unresolved}, {"unresolved", Field::unresolved},
    {"not resolved", Field::unresolved}, {"what the ai could not resolve", Field::unresolved},
    {"reason", Field::reason}, {"handoff reason", Field::reason}, {"reason category", Field::reason},
    {"escalation reason", Field::reason}, {"transfer reason", Field::reason},
    {"mode", Field::mode}, {"handoff mode", Field::mode}, {"handoff", Field::mode},
    {"handoff type", Field::mode},
    {"transfer to", Field::destination}, {"transferred to", Field::destination},
    {"transfer destination", Field::destination}, {"destination", Field::destination},
    {"follow up", Field::follow_up}, {"followup", Field::follow_up},
    {"follow up channel", Field::follow_up}, {"follow up via", Field::follow_up},
    {"preferred follow up", Field::follow_up}, {"callback", Field::callback},
    {"caller", Field::caller}, {"customer", Field::caller}, {"call", Field::call},
    {"caller name", Field::caller_name}, {"name", Field::caller_name},
    {"caller phone", Field::caller_phone}, {"phone", Field::caller_phone},
    {"caller number", Field::caller_phone}, {"phone number", Field::caller_phone},
    {"from", Field::caller_phone},
    {"caller email", Field::caller_email}, {"email", Field::caller_email},
    {"started", Field::started_at}, {"started at", Field::started_at},
    {"call started", Field::started_at}, {"start", Field::started_at},
    {"start time", Field::started_at}, {"call time", Field::started_at},
    {"call start", Field::started_at},
    {"duration", Field::duration}, {"call duration", Field::duration},
    {"length", Field::duration}, {"call length", Field::duration},
    {"sentiment", Field::sentiment}, {"caller sentiment", Field::sentiment}, {"mood", Field::sentiment},
    {"session", Field::session_url}, {"view session", Field::session_url},
    {"session url", Field::session_url}, {"session link", Field::session_url},
    {"recording", Field::recording_url}, {"recording url", Field::recording_url},
    {"call recording", Field::recording_url}, {"recording link", Field::recording_url},
    {"session id", Field::session_id}, {"opencx session id", Field::session_id},
    {"call id", Field::call_id},
    {"summary", Field::summary}, {"ai summary", Field::summary}, {"call summary", Field::summary},
};

std::optional<Field> field_of(std::string_view normalised_label) {
  for (const Label& label : kLabels)
    if (label.text == normalised_label) return label.field;
  return std::nullopt;
}

// Markdown decoration render might add: "- ", "* ", "• " bullets and "**bold**" markers.
std::string strip_decoration(std::string_view line) {
  std::string s = trim(line);
  for (std::string_view bullet : {"- ", "* ", "\xE2\x80\xA2 "}) {
    if (starts_with(s, bullet)) s = trim(std::string_view(s).substr(bullet.size()));
  }
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '*' && i + 1 < s.size() && s[i + 1] == '*') { ++i; continue; }
    out += s[i];
  }
  return trim(out);
}

// The first http(s) URL in the value (plain, "<…>" or markdown "[text](…)"), or "".
std::string first_http_url(const std::string& value) {
  const std::string lowered = to_lower(value);
  size_t at = lowered.find("https://");
  const size_t plain = lowered.find("http://");
  if (at == std::string::npos || (plain != std::string::npos && plain < at)) at = plain;
  if (at == std::string::npos) return "";
  size_t end = at;
  while (end < value.size() && !std::isspace(static_cast<unsigned char>(value[end])) &&
         value[end] != ')' && value[end] != '>')
    ++end;
  std::string url = value.substr(at, end - at);
  return is_http_url(url) ? url : "";
}

bool looks_like_phone(const std::string& s) {
  int digits = 0;
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c))) ++digits;
    else if (c != '+' && c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') return false;
  }
  return digits >= 5;
}

// "Jane Doe, +15550009999, jane@example.com" or "Jane Doe (+15550009999)".
void read_caller(const std::string& value, SummaryView& out) {
  std::string piece;
  auto take = [&]() {
    const std::string p = trim(piece);
    piece.clear();
    if (p.empty()) return;
    if (p.find('@') != std::string::npos && out.caller_email.empty()) out.caller_email = p;
    else if (looks_like_phone(p) && out.caller_phone.empty()) out.caller_phone = p;
    else if (out.caller_name.empty()) out.caller_name = p;
  };
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (c == ',' || c == '(' || c == ')' || c == ';' || c == '|') take();
    else if (value.compare(i, 2, "\xC2\xB7") == 0) { take(); ++i; }   // middle dot
    else piece += c;
  }
  take();
}

std::string channel_word(const std::string& word) {
  const std::string w = normalise_label(word);
  if (w == "email" || w == "e mail" || w == "mail") return "email";
  if (w == "sms" || w == "text" || w == "text message") return "sms";
  if (w == "callback" || w == "call back" || w == "call" || w == "phone" || w == "phone call") return "callback";
  return "";
}

// "SMS to +1 555 000 9999", "email: jane@example.com", "callback at +15550009999".
void read_follow_up(const std::string& value, bool label_says_callback, SummaryView& out) {
  std::string rest = trim(value);
  const size_t space = rest.find_first_of(" :");
  const std::string first = rest.substr(0, space);
  std::string channel = channel_word(first);
  if (!channel.empty()) rest = space == std::string::npos ? "" : trim(std::string_view(rest).substr(space + 1));
  for (std::string_view filler : {"to ", "at ", "via ", "on ", ": ", "- ", "\xE2\x80\x94 ", "\xE2\x86\x92 "}) {
    if (starts_with(to_lower(rest), filler)) rest = trim(std::string_view(rest).substr(filler.size()));
  }
  if (channel.empty() && label_says_callback) channel = "callback";
  if (channel.empty() && rest.find('@') != std::string::npos) channel = "email";
  out.follow_up_channel = channel;
  out.follow_up_address = rest;
}

void read_started(const std::string& value, SummaryView& out) {
  auto ms = parse_iso8601_ms(value);
  out.started_at = ms ? format_iso8601_ms(*ms) : value;
}

// "📞 AI phone handoff — Live transfer to sip:desk@pbx.example.com" → mode and destination.
void read_title(const std::string& line, SummaryView& out) {
  out.mode = canonical_mode(line);
  const std::string lowered = to_lower(line);
  const size_t at = lowered.find("transfer to ");
  if (at != std::string::npos && out.destination.empty()) out.destination = trim(std::string_view(line).substr(at + 12));
}

void assign(Field field, const std::string& value, SummaryView& out) {
  switch (field) {
    case Field::asked_for: out.asked_for = value; break;
    case Field::unresolved: out.unresolved = value; break;
    case Field::reason: out.reason = value; break;
    case Field::mode: out.mode = canonical_mode(value); break;
    case Field::destination: out.destination = value; break;
    case Field::follow_up: read_follow_up(value, false, out); break;
    case Field::callback: read_follow_up(value, true, out); break;
    case Field::caller: read_caller(value, out); break;
    case Field::caller_name: out.caller_name = value; break;
    case Field::caller_phone: out.caller_phone = value; break;
    case Field::caller_email: out.caller_email = value; break;
    case Field::started_at: read_started(value, out); break;
    case Field::call: {   // render's "Call: 1 min 8 s, started 2026-01-01 00:01 UTC"
      Pieces pieces(value, ',');
      for (std::string_view piece; pieces.next(piece);) {
        const std::string p = trim(piece);
        if (starts_with(to_lower(p), "started ")) read_started(p.substr(8), out);
        else if (auto seconds = parse_duration_seconds(p)) out.duration_seconds = seconds;
      }
      break;
    }
    case Field::duration: out.duration_seconds = parse_duration_seconds(value); break;
    case Field::sentiment: out.sentiment = to_lower(value); break;
    case Field::session_url: out.session_url = first_http_url(value); break;
    case Field::recording_url: out.recording_url = first_http_url(value); break;
    case Field::session_id: out.session_id = value; break;
    case Field::call_id: out.call_id = value; break;
    case Field::summary: out.text += (out.text.empty() ? "" : "\n") + value; break;
  }
}

}  // namespace

std::string canonical_mode(const std::string& text) {
  const std::string l = to_lower(text);
  if (l.find("live") != std::string::npos) return "live_transfer";
  if (l.find("logged") != std::string::npos || l.find("escalat") != std::string::npos) return "logged_escalation";
  return "";
}

std::optional<int64_t> parse_duration_seconds(const std::string& text) {
  const std::string t = to_lower(trim(text));
  if (t.empty()) return std::nullopt;
  if (t.find(':') != std::string::npos) {   // h:mm:ss or m:ss
    int64_t total = 0;
    Pieces parts(t, ':');
    for (std::string_view part; parts.next(part);) {
      const std::string p = trim(part);
      const auto n = p.size() <= 6 ? parse_digits(p, kSmallNumberDigits) : std::nullopt;
      if (!n) return std::nullopt;
      total = total * 60 + *n;
    }
    return total;
  }
  // Number-unit pairs: "3m 25s", "3 min 25 sec", "1h 2m", "205s", "205".
  int64_t total = 0;
  size_t i = 0;
  bool any = false;
  while (i < t.size()) {
    while (i < t.size() && t[i] == ' ') ++i;
    size_t start = i;
    while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
    if (start == i || i - start > 9) return std::nullopt;
    const int64_t n = *parse_digits(std::string_view(t).substr(start, i - start), kSmallNumberDigits);
    while (i < t.size() && t[i] == ' ') ++i;
    size_t unit_start = i;
    while (i < t.size() && std::isalpha(static_cast<unsigned char>(t[i]))) ++i;
    const std::string unit = t.substr(unit_start, i - unit_start);
    while (i < t.size() && (t[i] == ',' || t[i] == ' ')) ++i;
    if (unit.empty() || unit[0] == 's') total += n;
    else if (unit[0] == 'm') total += n * 60;
    else if (unit[0] == 'h') total += n * 3600;
    else return std::nullopt;
    any = true;
  }
  return any ? std::optional<int64_t>(total) : std::nullopt;
}

int read_summary_text(const std::string& text, SummaryView& out) {
  int recognised = 0;
  bool first_line = true;
  Pieces lines(text, '\n');
  for (std::string_view raw; lines.next(raw);) {
    const std::string line = strip_decoration(raw);
    if (line.empty()) continue;
    const size_t colon = line.find(':');
    if (colon != std::string::npos && colon <= 40) {
      if (const auto field = field_of(normalise_label(std::string_view(line).substr(0, colon)))) {
        assign(*field, trim(std::string_view(line).substr(colon + 1)), out);
        ++recognised;
        first_line = false;
        continue;
      }
    }
    // The title line tells the mode (and a live transfer's destination).
    if (first_line && out.mode.empty()) read_title(line, out);
    else out.text += (out.text.empty() ? "" : "\n") + line;
    first_line = false;
  }
  return recognised;
}

void read_summary_metadata(const ConversationMessage& m, const std::string& tag_prefix, SummaryView& out) {
  auto set = [&](const std::string& key, std::string& field) {
    const std::string v = m.meta_string(key);
    if (!v.empty()) field = v;
  };
  if (std::string v = canonical_mode(m.meta_string("phone_handoff_mode")); !v.empty()) out.mode = v;
  set("phone_handoff_reason", out.reason_category);
  set("phone_handoff_sentiment", out.sentiment);
  set("phone_handoff_follow_up_channel", out.follow_up_channel);
  set("phone_handoff_follow_up_address", out.follow_up_address);
  set("phone_handoff_call_id", out.call_id);
  // Render names the key opencx_session_id whatever the tag prefix; a custom prefix may differ.
  set("opencx_session_id", out.session_id);
  set(tag_prefix + "_session_id", out.session_id);
  for (auto [key, field] : {std::pair{"phone_handoff_session_url", &out.session_url},
                            std::pair{"phone_handoff_recording_url", &out.recording_url}}) {
    const std::string v = m.meta_string(key);
    if (is_http_url(v)) *field = v;
  }
  if (auto ms = parse_iso8601_ms(m.meta_string("phone_handoff_started_at"))) out.started_at = format_iso8601_ms(*ms);
  if (auto s = m.meta_int("phone_handoff_duration_seconds")) out.duration_seconds = *s;
}

bool looks_like_summary(int recognised, const SummaryView& v) {
  return recognised >= 2 && (!v.asked_for.empty() || !v.unresolved.empty() || !v.mode.empty());
}

}  // namespace phone_handoff::sidebar
