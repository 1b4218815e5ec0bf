#include "render/summary.hpp"

#include <vector>

#include "json_model.hpp"
#include "render/metadata.hpp"
#include "render/strings.hpp"
#include "render/utf8.hpp"
#include "time_util.hpp"

namespace phone_handoff::render {
namespace {

constexpr size_t kTextLimit = 4096;
// Caps per free-text value: together with the fixed lines they keep the message under 4096
// characters, so no cap ever has to cut a link or a label.
constexpr size_t kAskedCap = 500, kUnresolvedCap = 500, kSummaryCap = 1000;
constexpr size_t kCallerCap = 300, kFollowUpCap = 200, kDestinationCap = 120, kLinkCap = 600;

std::string percent_encode(const std::string& value) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    const bool unreserved = (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') ||
                            c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += hex[u >> 4];
      out += hex[u & 0xF];
    }
  }
  return out;
}

// Replaces every {name} in `pattern`; false when a placeholder's value is empty (no link then).
bool fill_template(std::string& pattern, const std::string& name, const std::string& value) {
  const std::string placeholder = "{" + name + "}";
  for (size_t at = pattern.find(placeholder); at != std::string::npos; at = pattern.find(placeholder, at)) {
    if (value.empty()) return false;
    const std::string encoded = percent_encode(value);
    pattern.replace(at, placeholder.size(), encoded);
    at += encoded.size();
  }
  return true;
}

// "2026-01-01 00:01 UTC"
std::string started_text(int64_t unix_ms) {
  const std::string iso = format_iso8601_ms(unix_ms);
  return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += separator;
    out += p;
  }
  return out;
}

std::string value(std::string_view text, size_t cap) { return truncate_units(one_line(text), cap); }

std::string follow_up_value(const Handoff& h, std::string_view locale) {
  const FollowUp& f = h.handoff.follow_up;
  const std::string address = value(f.address, kFollowUpCap);
  if (!f.channel) return address;
  const std::string channel = text(locale, channel_text(*f.channel));
  return address.empty() ? channel : format(locale, Text::follow_up_to, {channel, address});
}

}  // namespace

bool is_http_url(const std::string& url) {
  std::string head;
  for (size_t i = 0; i < url.size() && i < 8; ++i)
    head += static_cast<char>((url[i] >= 'A' && url[i] <= 'Z') ? url[i] - 'A' + 'a' : url[i]);
  size_t host;
  if (head.rfind("https://", 0) == 0) host = 8;
  else if (head.rfind("http://", 0) == 0) host = 7;
  else return false;
  if (url.size() <= host || url[host] == '/') return false;
  for (char c : url)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) return false;
  return true;
}

std::string session_url(const Handoff& h, const Config& config) {
  if (is_http_url(h.call.session_url)) return h.call.session_url;
  std::string url = config.session_url_template;
  if (url.empty()) return "";
  if (!fill_template(url, "session_id", h.session_id) || !fill_template(url, "call_id", h.call_id)) return "";
  return is_http_url(url) ? url : "";
}

std::optional<int64_t> call_duration_seconds(const Handoff& h) {
  if (h.call.started_at_unix_ms && h.call.ended_at_unix_ms && *h.call.ended_at_unix_ms >= *h.call.started_at_unix_ms)
    return (*h.call.ended_at_unix_ms - *h.call.started_at_unix_ms) / 1000;
  std::optional<int64_t> last;
  for (const Turn& t : h.transcript) {
    const auto end = t.end_ms ? t.end_ms : t.start_ms;
    if (end && (!last || *end > *last)) last = end;
  }
  if (last && *last >= 0) return *last / 1000;
  return std::nullopt;
}

std::string caller_phone(const Handoff& h) {
  if (!h.caller.phone.empty()) return h.caller.phone;
  return h.call.direction == Direction::outbound ? h.call.to : h.call.from;
}

std::string summary_text(const Handoff& h, const Config& config, Errors& warnings) {
  const std::string& loc = config.locale;
  std::vector<std::string> lines;
  const HandoffDetails& d = h.handoff;

  if (d.mode == Mode::live_transfer) {
    const std::string destination = value(d.transfer_destination, kDestinationCap);
    lines.push_back(destination.empty() ? text(loc, Text::title_live_transfer_bare)
                                        : format(loc, Text::title_live_transfer, {destination}));
  } else {
    lines.push_back(text(loc, Text::title_logged_escalation));
  }
  auto add = [&](Text label, const std::string& v) {
    if (!v.empty()) lines.push_back(format(loc, label, {v}));
  };
  add(Text::caller_asked, value(d.reason.caller_asked, kAskedCap));
  add(Text::ai_unresolved, value(d.reason.ai_unresolved, kUnresolvedCap));
  if (d.reason.category) add(Text::reason, text(loc, reason_text(*d.reason.category)));
  add(Text::follow_up, follow_up_value(h, loc));
  add(Text::caller, value(join({one_line(h.caller.name), one_line(caller_phone(h)), one_line(h.caller.email)}, ", "), kCallerCap));

  std::vector<std::string> call_parts;
  if (auto seconds = call_duration_seconds(h)) call_parts.push_back(duration_text(loc, *seconds));
  if (h.call.started_at_unix_ms) call_parts.push_back(format(loc, Text::call_started, {started_text(*h.call.started_at_unix_ms)}));
  add(Text::call, join(call_parts, ", "));
  if (d.sentiment) add(Text::sentiment, text(loc, sentiment_text(*d.sentiment)));
  add(Text::summary, value(d.summary, kSummaryCap));

  auto add_link = [&](Text label, const std::string& url, const char* pointer) {
    if (!is_http_url(url)) return;
    if (text_units(url) > kLinkCap) {
      warnings.push_back({pointer, "link longer than " + std::to_string(kLinkCap) + " characters; left out of the summary text"});
      return;
    }
    add(label, url);
  };
  add_link(Text::view_session, session_url(h, config), "/messages/0/content/text");
  add_link(Text::recording, h.call.recording_url, "/messages/0/content/text");

  // The caps above keep this within the limit; the cut is a last line of defence.
  return truncate_units(join(lines, "\n"), kTextLimit);
}

nlohmann::ordered_json summary_metadata(const Handoff& h, const Config& config, Errors& warnings) {
  FlatMetadata meta;
  auto put = [&](const std::string& key, const nlohmann::ordered_json& v) {
    if (v.is_string() && v.get<std::string>().empty()) return;
    if (meta.add(key, v) != FlatMetadata::Outcome::added)
      warnings.push_back({"/messages/0/metadata", key + " does not fit in the 4 KB metadata limit; left out"});
  };
  put("phone_handoff_kind", "summary");
  put("opencx_session_id", h.session_id);
  put("phone_handoff_call_id", h.call_id);
  put("phone_handoff_mode", to_string(h.handoff.mode));
  if (h.handoff.reason.category) put("phone_handoff_reason", to_string(*h.handoff.reason.category));
  if (h.handoff.sentiment) put("phone_handoff_sentiment", to_string(*h.handoff.sentiment));
  if (h.handoff.follow_up.channel) put("phone_handoff_follow_up_channel", to_string(*h.handoff.follow_up.channel));
  put("phone_handoff_follow_up_address", h.handoff.follow_up.address);
  if (h.call.started_at_unix_ms) put("phone_handoff_started_at", format_iso8601_ms(*h.call.started_at_unix_ms));
  if (auto seconds = call_duration_seconds(h)) put("phone_handoff_duration_seconds", *seconds);
  if (std::string url = session_url(h, config); !url.empty()) put("phone_handoff_session_url", url);
  if (is_http_url(h.call.recording_url)) put("phone_handoff_recording_url", h.call.recording_url);
  return meta.json();
}

}  // namespace phone_handoff::render
