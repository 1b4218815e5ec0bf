// The Sunshine plan, step by step. Each stage reads what progress says is done, appends the
// requests that remain (with placeholders for ids not known yet) and returns false only when the
// handoff is blocked. docs/plan.md justifies every step from the references.
#include <algorithm>
#include <cctype>
#include <optional>
#include <tuple>

#include "plan/encoding.hpp"
#include "plan/identity.hpp"
#include "plan/plan.hpp"
#include "plan/progress.hpp"
#include "plan/request.hpp"
#include "render/summary.hpp"
#include "ops.hpp"

namespace phone_handoff::plan {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

const char* const kSunshine = "sunshine";
const char* const kSupport = "support";
const std::string kApp = "/sc/v2/apps/{appId}";
constexpr size_t kMetadataLimit = 4096;     // bytes of serialised metadata (§3)
constexpr int64_t kMaxLinkChecks = 5;       // reads of the messaging user's zendeskId
constexpr int64_t kMaxTicketSearches = 5;   // Support search is index-based: minutes of lag (§5)
constexpr int64_t kFirstRetryDelayMs = 2000;
const std::string kTicketFieldPrefix = "dataCapture.ticketField.";

struct Diagnostic {
  std::string code, severity, message;
};

enum class CallerMatch { not_applicable, pending, none, one, ambiguous, failed };

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool contains(const std::string& haystack, const char* needle) {
  return haystack.find(needle) != std::string::npos;
}

// The [VERIFY] in §2.2: a second personal conversation without multi-conversations "fails", status
// unknown. 409 says "already exists" by itself; a 400 or 403 counts only when its error names a
// conversation limit, so a genuinely malformed request is never mistaken for it.
bool looks_like_conversation_limit(int64_t status, const std::string& code, const std::string& title) {
  if (status == 409) return true;
  if (status != 400 && status != 403) return false;
  const std::string words = lower(code + " " + title);
  if (contains(words, "not_found") || contains(words, "not found")) return false;
  return contains(words, "conversation") || contains(words, "multi") || contains(words, "limit");
}

// A switchboard target resolves by id, then name, then integrationType (§2.4).
bool names_integration(const json* active, const std::string& target) {
  if (!active || !active->is_object() || target.empty()) return false;
  for (const char* key : {"id", "name", "integrationType"}) {
    auto it = active->find(key);
    if (it != active->end() && it->is_string() && it->get<std::string>() == target) return true;
  }
  return false;
}

bool is_agent_workspace(const json* active, const std::string& configured) {
  return names_integration(active, configured) || names_integration(active, "zd:agentWorkspace");
}

// Whole-number ids go back as JSON numbers (Support ids are integers); anything else as text.
ordered_json id_value(const std::string& id) {
  const bool digits = !id.empty() && id.size() < 19 &&
                      std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits) return std::stoll(id);
  return id;
}

std::string text_of(const ordered_json& message) {
  const auto* content = message.contains("content") ? &message["content"] : nullptr;
  if (content && content->is_object() && content->contains("text") && (*content)["text"].is_string())
    return (*content)["text"].get<std::string>();
  return "";
}

std::string metadata_string(const ordered_json& message, const char* key) {
  if (!message.contains("metadata") || !message["metadata"].is_object()) return "";
  const auto& metadata = message["metadata"];
  auto it = metadata.find(key);
  return it != metadata.end() && it->is_string() ? it->get<std::string>() : "";
}

class Planner {
 public:
  Planner(const Handoff& handoff, const Settings& settings, const Rendered& rendered,
          const json& progress)
      : h_(handoff), s_(settings), r_(rendered), p_(progress) {}

  void run(JsonWriter& out) {
    const bool delivered_so_far = search_caller() && messaging_user() && conversation() &&
                                  take_control() && post_messages() && hand_to_agent_workspace();
    if (delivered_so_far) {
      if (handed_off_) {
        update_summary();
        update_ticket_fields();
      }
      link_and_merge();
    }
    mark_probe_first();

    out.begin_object().key("requests").begin_array();
    for (const auto& r : requests_) write_request(out, r);
    out.end_array();
    out.member("done", requests_.empty() && delivered_so_far);
    out.key("resolved");
    write_resolved(out);
    out.key("diagnostics").begin_array();
    for (const auto& d : diagnostics_)
      out.begin_object().member("code", d.code).member("severity", d.severity).member("message", d.message).end_object();
    out.end_array().end_object();
  }

 private:
  // ---- 1. Support search for the caller (§5) ------------------------------------------------
  bool search_caller() {
    phone_ = render::caller_phone(h_);
    if (!s_.match_callers || phone_.empty()) {
      match_ = CallerMatch::not_applicable;
    } else if (auto failed = p_.integer("/callerSearch/failedStatus")) {
      match_ = CallerMatch::failed;
      note("caller_search_failed", "warning",
           "the Support search for the caller answered HTTP " + std::to_string(*failed) +
               "; the caller was not matched to a Support user (check the Zendesk API token and "
               "that its user may search users)");
    } else if (p_.boolean("/callerSearch/done").value_or(false)) {
      read_search_result();
    } else {
      match_ = CallerMatch::pending;
      add(search_request());
    }
    external_id_ = decide_external_id();
    return true;
  }

  void read_search_result() {
    const int64_t count = p_.integer("/callerSearch/count").value_or(0);
    matched_id_ = p_.id("/callerSearch/id").value_or("");
    matched_external_id_ = p_.text("/callerSearch/externalId").value_or("");
    if (count == 1 && !matched_id_.empty()) {
      match_ = CallerMatch::one;
      note("caller_matched", "info",
           "the caller's phone matches Support user " + matched_id_ +
               (matched_external_id_.empty() ? "; the new Support user will be merged into it"
                                             : "; its external_id names the messaging user"));
    } else if (count > 1) {
      match_ = CallerMatch::ambiguous;
      note("caller_match_ambiguous", "warning",
           std::to_string(count) + " Support end users have the caller's phone " + phone_ +
               "; none was chosen and nothing will be merged (merge them in Zendesk first)");
    } else {
      match_ = CallerMatch::none;
      note("caller_match_none", "info",
           "no Support end user has the caller's phone; the messaging user carries only the phone");
    }
  }

  Request search_request() const {
    Request r("search-caller",
              "find the caller's Support user by phone, so the ticket lands on the right requester",
              kSupport, "GET", "/api/v2/search.json?query=" + percent_encode(support_phone_query(phone_)));
    r.expect = {200};
    r.success.with_set("/callerSearch/done", true)
        .with_capture("/callerSearch/count", "/count")
        .with_capture("/callerSearch/id", "/results/0/id")
        .with_capture("/callerSearch/externalId", "/results/0/external_id");
    for (int status : {401, 403, 422})
      r.on(status, Outcome{"the Support search is not available (credentials, permissions or a "
                           "refused query): continue without matching the caller"}
                       .with_set("/callerSearch/failedStatus", status));
    return r;
  }

  std::optional<std::string> decide_external_id() const {
    if (auto stored = p_.text("/user/externalId")) return stored;  // stable once used
    if (match_ == CallerMatch::pending) return std::nullopt;
    if (match_ == CallerMatch::one && !matched_external_id_.empty()) return matched_external_id_;
    return unmatched_external_id(h_, s_.user_external_id_prefix);
  }

  // ---- 2. Messaging user: find or create (§2.1) ---------------------------------------------
  // Either order is safe (create answers 409 for an existing externalId), so the first request is
  // the one that is likely to be the only one: a caller Support knows probably has a messaging
  // user already (find first); anyone else is probably calling for the first time (create first,
  // one request less on the way to Agent Workspace; a returning caller pays one more).
  bool messaging_user() {
    const auto lookup = p_.text("/user/lookup");
    if (!lookup) {
      if (match_ == CallerMatch::one) {
        add(find_user("find-user", "look for the known caller's messaging user"));
        add(create_user());  // forecast
      } else {
        add(create_user());
      }
    } else if (*lookup == "missing") {
      add(create_user());
    } else if (*lookup == "conflict") {
      add(find_user("find-user-after-conflict",
                    "the user was created meanwhile (409 on create): read it"));
    } else if (*lookup != "found" && *lookup != "created") {
      throw UsageError("bad_progress", "progress at \"/user/lookup\" must be \"found\", \"missing\", "
                                       "\"created\" or \"conflict\", not \"" + *lookup + "\"");
    }
    return true;
  }

  Request find_user(const std::string& id, const std::string& why) const {
    Request r(id, why, kSunshine, "GET", kApp + "/users/" + user_segment());
    r.expect = {200};
    r.success.with_set("/user/lookup", "found")
        .with_set("/user/externalId", user_external_id_value())
        .with_capture("/user/id", "/user/id")
        .with_capture("/user/zendeskId", "/user/zendeskId");
    if (id == "find-user")
      r.on(404, Outcome{"no messaging user has this externalId yet: create it"}
                    .with_set("/user/lookup", "missing")
                    .with_set("/user/externalId", user_external_id_value()));
    return r;
  }

  Request create_user() const {
    Request r("create-user",
              "create the messaging user (externalId, name, phone in metadata)",
              kSunshine, "POST", kApp + "/users");
    r.body = user_create_body(h_, user_external_id_value());
    r.expect = {201};
    // A repeat is refused with 409 (externalId is unique), so it can never make a second user.
    r.success.with_set("/user/lookup", "created")
        .with_set("/user/externalId", user_external_id_value())
        .with_capture("/user/id", "/user/id");
    r.on(409, Outcome{"a user with this externalId exists (another worker, or an earlier attempt "
                      "whose answer was lost): read it"}
                  .with_set("/user/lookup", "conflict"));
    return r;
  }

  // ---- 3. Conversation: create, or reuse when a second one is refused (§2.2) -----------------
  bool conversation() {
    if (auto id = p_.text("/conversation/id")) {
      conversation_id_ = *id;
      active_ = p_.object("/conversation/active");
      return true;
    }
    if (p_.boolean("/conversation/created").value_or(false)) {
      return block("conversation_id_missing",
                   "the conversation was created but its id was not captured; set progress "
                   "\"/conversation/id\" from the 201 answer (or from the conversations list)");
    }
    const auto refused = p_.integer("/conversation/refusedStatus");
    if (!refused) {
      add(create_conversation());
      return true;
    }
    const std::string code = p_.text("/conversation/refusedCode").value_or("");
    const std::string title = p_.text("/conversation/refusedTitle").value_or("");
    if (!looks_like_conversation_limit(*refused, code, title)) {
      return block("conversation_create_refused",
                   "Sunshine refused the new conversation: HTTP " + std::to_string(*refused) +
                       (code.empty() ? "" : " " + code) + (title.empty() ? "" : " (" + title + ")"));
    }
    reused_ = true;
    note("conversation_reused", "warning",
         std::string("Sunshine refused a second conversation for this caller") +
             (s_.multi_conversations ? " although the configuration says multi-conversations are on"
                                     : "") +
             ", so this call goes into the caller's existing conversation. To give every call its own "
             "conversation, turn on Admin Center > Channels > Messaging and social > Messaging > "
             "Manage settings > Multi-conversations (it cannot be undone), then set "
             "sunshine.multiConversations to true");
    if (!p_.boolean("/conversation/listed").value_or(false)) {
      add(list_conversations());
      return true;
    }
    const json* chosen = most_recent_personal(p_.array("/conversation/candidates"));
    if (!chosen) {
      return block("no_conversation_to_reuse",
                   "a new conversation was refused, but the caller has no personal conversation to "
                   "reuse; turn on multi-conversations (see conversation_reused)");
    }
    conversation_id_ = (*chosen)["id"].get<std::string>();
    auto active = chosen->find("activeSwitchboardIntegration");
    active_ = active != chosen->end() ? &*active : nullptr;
    return true;
  }

  Request create_conversation() const {
    Request r("create-conversation",
              "a conversation for this call, carrying the session id and the handoff reason",
              kSunshine, "POST", kApp + "/conversations");
    ordered_json body;
    body["type"] = "personal";
    body["participants"] = ordered_json::array({{{"userExternalId", user_external_id_value()}}});
    for (const auto& [key, value] : r_.conversation.items())
      if (key != "type" && key != "participants") body[key] = value;
    // The probe finds the conversation by this key, so it must be there whatever render wrote.
    if (!body.contains("metadata") || !body["metadata"].is_object()) body["metadata"] = ordered_json::object();
    if (!body["metadata"].contains("phone_handoff_call_id")) body["metadata"]["phone_handoff_call_id"] = h_.call_id;
    r.body = std::move(body);
    r.idempotent = false;
    r.expect = {201};
    r.success.with_set("/conversation/created", true)
        .with_capture("/conversation/id", "/conversation/id")
        .with_capture("/conversation/active", "/conversation/activeSwitchboardIntegration");
    for (int status : {400, 403, 409})
      r.on(status, Outcome{"refused: when the error names a conversation limit (multi-conversations "
                           "off) the caller's existing conversation is reused, otherwise the "
                           "handoff stops with conversation_create_refused"}
                       .with_set("/conversation/refusedStatus", status)
                       .with_capture("/conversation/refusedCode", "/errors/0/code")
                       .with_capture("/conversation/refusedTitle", "/errors/0/title"));
    Probe probe;
    probe.api = kSunshine;
    probe.path = conversations_of_user_path();
    probe.items = "/conversations";
    probe.follow = "/links/next";
    probe.max_pages = 10;
    probe.match_any = ordered_json::array({{{"/metadata/phone_handoff_call_id", call_id_in_metadata()}}});
    probe.found.with_set("/conversation/created", true)
        .with_capture("/conversation/id", "/id")
        .with_capture("/conversation/active", "/activeSwitchboardIntegration");
    r.probe = std::move(probe);
    return r;
  }

  std::string call_id_in_metadata() const {
    if (r_.conversation.contains("metadata") && r_.conversation["metadata"].is_object()) {
      auto it = r_.conversation["metadata"].find("phone_handoff_call_id");
      if (it != r_.conversation["metadata"].end() && it->is_string()) return it->get<std::string>();
    }
    return h_.call_id;
  }

  Request list_conversations() const {
    Request r("find-reusable-conversation",
              "list the caller's conversations to reuse the most recent personal one",
              kSunshine, "GET", conversations_of_user_path());
    r.expect = {200};
    r.success.with_set("/conversation/listed", true)
        .with_capture("/conversation/candidates", "/conversations");
    return r;
  }

  std::string conversations_of_user_path() const {
    return kApp + "/conversations?filter[userExternalId]=" + user_segment();
  }

  // Most recently updated first; ties by creation, then by id, so the choice is deterministic.
  static const json* most_recent_personal(const json* candidates) {
    if (!candidates) return nullptr;
    const json* best = nullptr;
    auto field = [](const json& c, const char* key) {
      auto it = c.find(key);
      return it != c.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    for (const auto& c : *candidates) {
      if (!c.is_object() || field(c, "id").empty() || field(c, "type") != "personal") continue;
      if (!best) {
        best = &c;
        continue;
      }
      const auto key = [&](const json& x) {
        return std::make_tuple(field(x, "lastUpdatedAt"), field(x, "createdAt"));
      };
      if (key(c) > key(*best) || (key(c) == key(*best) && field(c, "id") < field(*best, "id"))) best = &c;
    }
    return best;
  }

  // ---- 4. Control before posting (§4 default-ownership risk) ----------------------------------
  bool take_control() {
    if (reused_ && is_agent_workspace(active_, s_.agent_workspace)) {
      // An open ticket holds this conversation: new messages thread into it (§4), and taking
      // control away from Agent Workspace would pull it from the agent working that ticket.
      agent_workspace_already_active_ = true;
      note("agent_workspace_already_active", "info",
           "Agent Workspace already has this (reused) conversation, so an open ticket exists: the "
           "messages thread into it and control is not passed again");
      return true;
    }
    if (s_.own_integration.empty()) {
      note("own_integration_not_configured", "warning",
           "sunshine.integration is not set, so the plan cannot take control before posting; if "
           "Agent Workspace is the default responder it may open the ticket before the handoff "
           "metadata (tags, fields, first_message_id) arrives");
      return true;
    }
    if (p_.boolean("/control/ownIntegration").value_or(false)) return true;
    if (names_integration(active_, s_.own_integration)) return true;  // already ours
    Request r("pass-control-to-integration",
              "take control before posting, so no ticket opens before the handoff metadata arrives",
              kSunshine, "POST", conversation_path() + "/passControl");
    r.body = {{"switchboardIntegration", s_.own_integration}};
    r.expect = {200};  // passing to the integration that is already active changes nothing
    r.success.with_set("/control/ownIntegration", true);
    add(std::move(r));
    return true;
  }

  // ---- 5. Summary and transcript messages (§2.3) -----------------------------------------------
  bool post_messages() {
    all_posted_ = true;
    // After the handoff the ticket holds the transcript; a later, longer render packs differently,
    // so its parts would repeat what the ticket shows. Updates go through update_summary().
    if (p_.boolean("/handoff/passed").value_or(false)) return true;
    for (size_t i = 0; i < r_.messages.size(); ++i) {
      const std::string part = std::to_string(i + 1);
      if (p_.has("/messages/" + part)) continue;
      all_posted_ = false;
      add(post_message(i));
    }
    return true;
  }

  Request post_message(size_t index) const {
    const std::string part = std::to_string(index + 1);
    const std::string slot = "/messages/" + part;
    const ordered_json& body = r_.messages[index];
    // Per-turn style: caller turns are authored by the user, whose externalId only we know.
    const auto author = body.find("author");
    const bool authored_by_caller = author != body.end() && author->is_object() &&
                                    author->value("userExternalId", "") == "{userExternalId}";

    Outcome done;
    done.with_set(slot, true).with_capture(slot, "/messages/0/id");
    if (index == 0) done.with_capture("/firstMessageId", "/messages/0/id");
    if (metadata_string(body, "phone_handoff_kind") == "summary")
      done.with_set("/delivered/summary", fingerprint(text_of(body)));

    const std::string kind = metadata_string(body, "phone_handoff_kind");
    Request r("post-message-" + part,
              "post message " + part + " of " + std::to_string(r_.messages.size()) +
                  (kind.empty() ? "" : " (" + kind + ")"),
              kSunshine, "POST", conversation_path() + "/messages");
    r.idempotent = false;
    r.expect = {201};
    r.success = done;
    Probe probe = messages_probe(message_matcher(body));
    probe.found = done;
    for (auto& [pointer, from] : probe.found.capture.items) from = "/id";
    r.probe = std::move(probe);
    if (authored_by_caller) {
      r.body = body;
      r.body["author"]["userExternalId"] = user_external_id_value();
    } else {
      r.rendered_body = &body;
    }
    return r;
  }

  // The metadata render writes on every message (kind, part, first turn) names it uniquely
  // within the call; a message without any of it is recognised by its text.
  static ordered_json message_matcher(const ordered_json& body) {
    ordered_json match = ordered_json::object();
    // Room for every member up front: growing an ordered_json object copies its members.
    match.get_ref<ordered_json::object_t&>().reserve(5);
    if (body.contains("metadata") && body["metadata"].is_object()) {
      for (const char* key : {"phone_handoff_call_id", "phone_handoff_kind", "phone_handoff_part",
                              "phone_handoff_first_turn"}) {
        auto it = body["metadata"].find(key);
        if (it != body["metadata"].end()) match[std::string("/metadata/") + key] = *it;
      }
    }
    if (match.empty() || !match.contains("/metadata/phone_handoff_part")) match["/content/text"] = text_of(body);
    return match;
  }

  Probe messages_probe(ordered_json matcher) const {
    Probe probe;
    probe.api = kSunshine;
    probe.path = conversation_path() + "/messages";
    probe.items = "/messages";
    probe.follow = "/links/prev";  // List Messages pages backwards from the most recent (§2.3)
    probe.max_pages = 5;
    probe.match_any = ordered_json::array({std::move(matcher)});
    return probe;
  }

  // ---- 6. Hand off to Agent Workspace with the ticket metadata (§4) ----------------------------
  bool hand_to_agent_workspace() {
    if (agent_workspace_already_active_) {
      handed_off_ = all_posted_ && requests_.empty();
      return true;
    }
    if (p_.boolean("/handoff/passed").value_or(false)) {
      handed_off_ = true;
      return true;
    }
    ordered_json metadata = pass_control_metadata();
    Outcome done;
    done.with_set("/handoff/passed", true).with_set("/delivered/ticketFields", fingerprint(ticket_fields().dump()));

    Request r("pass-control-to-agent-workspace",
              "hand the conversation to Agent Workspace: it opens the ticket from this metadata",
              kSunshine, "POST", conversation_path() + "/passControl");
    r.body = {{"switchboardIntegration", s_.agent_workspace}, {"metadata", std::move(metadata)}};
    // Idempotent only for integration-identified callers (§2.4): with an app key, check first.
    r.idempotent = false;
    r.expect = {200};
    r.success = done;
    Probe probe;
    probe.api = kSunshine;
    probe.path = conversation_path();
    probe.item = "/conversation";
    for (const char* key : {"id", "name", "integrationType"})
      probe.match_any.push_back({{std::string("/activeSwitchboardIntegration/") + key, s_.agent_workspace}});
    probe.found = done;
    r.probe = std::move(probe);
    add(std::move(r));
    return true;
  }

  ordered_json pass_control_metadata() {
    ordered_json metadata = ordered_json::object();
    for (const auto& [key, value] : r_.pass_control_metadata.items())
      if (key != "first_message_id") metadata[key] = value;
    // Without first_message_id only the last 10 messages reach the ticket (§4).
    const auto first = p_.text("/firstMessageId");
    const bool first_posted = p_.has("/messages/1");
    if (first) {
      metadata["first_message_id"] = *first;
    } else if (!first_posted && !r_.messages.empty()) {
      metadata["first_message_id"] = "{firstMessageId}";
    } else if (!r_.messages.empty()) {
      note("first_message_id_unknown", "warning",
           "the first message's id was not captured, so the ticket shows only the last 10 messages");
    }
    // Sunshine ids are 24 characters; measure with that so the forecast checks the real size.
    auto serialised_size = [&](const ordered_json& m) {
      size_t size = m.dump().size();
      if (m.contains("first_message_id") && m["first_message_id"] == "{firstMessageId}")
        size += 24 - std::string("{firstMessageId}").size();
      return size;
    };
    std::vector<std::string> dropped;
    while (serialised_size(metadata) > kMetadataLimit && metadata.size() > 1) {
      // Drop from the end (render orders the most important keys first), never first_message_id.
      std::string last;
      for (const auto& [key, value] : metadata.items())
        if (key != "first_message_id") last = key;
      if (last.empty()) break;
      metadata.erase(last);
      dropped.push_back(last);
    }
    if (!dropped.empty()) {
      std::string keys;
      for (const auto& k : dropped) keys += (keys.empty() ? "" : ", ") + k;
      note("pass_control_metadata_too_large", "warning",
           "passControl metadata is limited to 4 KB; left out: " + keys +
               " (their values are in the summary message)");
    }
    return metadata;
  }

  ordered_json ticket_fields() const {
    ordered_json fields = ordered_json::object();
    for (const auto& [key, value] : r_.pass_control_metadata.items())
      if (key.rfind(kTicketFieldPrefix, 0) == 0) fields[key] = value;
    return fields;
  }

  // ---- Update events: a later handoff for a call already handed off --------------------------
  void update_summary() {
    for (const auto& message : r_.messages) {
      if (metadata_string(message, "phone_handoff_kind") != "summary") continue;
      const auto delivered = p_.text("/delivered/summary");
      const std::string now = fingerprint(text_of(message));
      if (!delivered || *delivered == now) return;
      // Same conversation, never a new one: the agent sees the new summary under the old one,
      // and the open ticket gets it as a new comment (§4: messages thread into an open ticket).
      Outcome done;
      done.with_set("/delivered/summary", now).with_capture("/updates/" + now, "/messages/0/id");
      Request r("post-summary-update-" + now,
                "the call's summary changed after the handoff: post the new one to the same conversation",
                kSunshine, "POST", conversation_path() + "/messages");
      r.body = message;
      r.idempotent = false;
      r.expect = {201};
      r.success = done;
      Probe probe = messages_probe({{"/metadata/phone_handoff_kind", "summary"}, {"/content/text", text_of(message)}});
      probe.found = done;
      probe.found.capture["/updates/" + now] = "/id";
      r.probe = std::move(probe);
      add(std::move(r));
      return;
    }
  }

  void update_ticket_fields() {
    const ordered_json fields = ticket_fields();
    const std::string now = fingerprint(fields.dump());
    const auto delivered = p_.text("/delivered/ticketFields");
    if (fields.empty() || !delivered || *delivered == now) return;
    if (p_.text("/ticketUpdate/refused").value_or("") == now) {
      note("ticket_fields_update_refused", "warning",
           "Zendesk refused the ticket field update (HTTP " +
               std::to_string(p_.integer("/ticketUpdate/status").value_or(0)) + ")");
      return;
    }
    // passControl metadata is read when Agent Workspace takes control; it already has it, so the
    // new values go to the ticket itself through the Support API.
    if (auto ticket = p_.id("/ticket/id")) {
      add(update_ticket(*ticket, fields, now));
      return;
    }
    if (s_.call_id_ticket_field <= 0) {
      note("ticket_fields_not_updated", "warning",
           "the ticket fields changed after the handoff, but the ticket id is unknown: configure "
           "ticketFields.call_id (the plan then finds the ticket by it) or record progress \"/ticket/id\"");
      return;
    }
    const int64_t searches = p_.integer("/ticket/searches").value_or(0);
    if (searches >= kMaxTicketSearches) {
      note("ticket_not_found", "warning",
           "no ticket with this call id was found after " + std::to_string(searches) +
               " searches; remove progress \"/ticket/searches\" to look again later");
      return;
    }
    const std::string field_key = kTicketFieldPrefix + std::to_string(s_.call_id_ticket_field);
    const auto it = r_.pass_control_metadata.find(field_key);
    const std::string call_id = it != r_.pass_control_metadata.end() && it->is_string() ? it->get<std::string>() : h_.call_id;
    Request r("find-ticket-" + std::to_string(searches + 1),
              "find the call's ticket by its call id field, to update its fields",
              kSupport, "GET", "/api/v2/search.json?query=" +
             percent_encode("type:ticket custom_field_" + std::to_string(s_.call_id_ticket_field) +
                            ":\"" + call_id + "\""));
    r.delay_ms = searches == 0 ? 0 : kFirstRetryDelayMs << searches;
    r.expect = {200};
    r.success.with_set("/ticket/searches", searches + 1).with_capture("/ticket/id", "/results/0/id");
    add(std::move(r));
    add(update_ticket("{ticketId}", fields, now));  // forecast
  }

  Request update_ticket(const std::string& ticket, const ordered_json& fields, const std::string& now) const {
    ordered_json custom_fields = ordered_json::array();
    for (const auto& [key, value] : fields.items())
      custom_fields.push_back({{"id", id_value(key.substr(kTicketFieldPrefix.size()))}, {"value", value}});
    Request r("update-ticket-fields-" + now,
              "the ticket fields changed after the handoff: update the ticket",
              kSupport, "PUT", "/api/v2/tickets/" + segment(ticket));
    r.body = {{"ticket", {{"custom_fields", std::move(custom_fields)}}}};
    r.expect = {200};
    r.success.with_set("/delivered/ticketFields", now);
    for (int status : {403, 404, 422})
      r.on(status, Outcome{"Zendesk refused the update (permissions, no such ticket, or a closed "
                           "ticket): the handoff stands, the diagnostic says so"}
                       .with_set("/ticketUpdate/refused", now)
                       .with_set("/ticketUpdate/status", status));
    return r;
  }

  // ---- 7. Merge the new Support user into the matched caller (§5, §2.1 sync) ------------------
  void link_and_merge() {
    if (match_ != CallerMatch::one) return;
    if (p_.id("/user/zendeskId").value_or("") == matched_id_) return;  // linked before this call
    const auto status = p_.text("/merge/status");
    if (status == "refused") {
      note("caller_merge_refused", "warning",
           "Zendesk refused to merge the new Support user into " + matched_id_ + " (HTTP " +
               std::to_string(p_.integer("/merge/httpStatus").value_or(0)) + ": " +
               p_.text("/merge/error").value_or("no reason given") +
               "); merge them by hand in Zendesk if they are the same person");
      return;
    }
    const auto zendesk_id = p_.id("/supportLink/zendeskId");
    if (status == "merged" || status == "gone") {
      if (p_.has("/merge/synced")) {
        if (!p_.boolean("/merge/synced").value_or(false))
          note("caller_sync_failed", "warning",
               "the Support users were merged but the messaging user could not be synchronised");
        return;
      }
      add(sync_user(zendesk_id.value_or("{zendeskId}")));
      return;
    }
    if (zendesk_id) {
      if (*zendesk_id == matched_id_) {
        note("caller_linked", "info", "Agent Workspace linked the conversation to Support user " + matched_id_);
        return;
      }
      add(merge_user(*zendesk_id));
      add(sync_user(*zendesk_id));
      return;
    }
    const int64_t checks = p_.integer("/supportLink/checks").value_or(0);
    if (checks >= kMaxLinkChecks) {
      note("caller_merge_pending", "warning",
           "Agent Workspace has not linked the messaging user to a Support user yet (no ticket?), "
           "so nothing was merged; remove progress \"/supportLink/checks\" to try again later");
      return;
    }
    Request r("read-zendesk-id-" + std::to_string(checks + 1),
              "read which Support user Agent Workspace linked the caller to (known once the ticket exists)",
              kSunshine, "GET", kApp + "/users/" + user_segment());
    r.delay_ms = kFirstRetryDelayMs << checks;
    r.expect = {200};
    r.success.with_set("/supportLink/checks", checks + 1).with_capture("/supportLink/zendeskId", "/user/zendeskId");
    add(std::move(r));
    add(merge_user("{zendeskId}"));  // forecast
    add(sync_user("{zendeskId}"));
  }

  Request merge_user(const std::string& zendesk_id) const {
    Request r("merge-caller",
              "merge the Support user made for this conversation into the caller's existing one",
              kSupport, "PUT", "/api/v2/users/" + segment(zendesk_id) + "/merge");
    r.body = {{"user", {{"id", id_value(matched_id_)}}}};
    r.expect = {200};
    r.success.with_set("/merge/status", "merged");
    for (int status : {403, 422})
      r.on(status, Outcome{"the merge is not allowed (agents, SSO external ids, phone-only profiles, "
                           "ticket limits): not a failure of the handoff"}
                       .with_set("/merge/status", "refused")
                       .with_set("/merge/httpStatus", status)
                       .with_capture("/merge/error", "/error"));
    r.on(404, Outcome{"the user to merge is gone: an earlier attempt merged it and its answer was "
                      "lost; continue with the sync"}
                  .with_set("/merge/status", "gone"));
    return r;
  }

  Request sync_user(const std::string& zendesk_id) const {
    Request r("sync-merged-user",
              "apply the Support merge to the messaging side",
              kSunshine, "POST", kApp + "/users/" + segment(zendesk_id) + "/sync");
    r.body = {{"survivingZendeskId", matched_id_}};
    r.expect = {200};
    r.success.with_set("/merge/synced", true);
    r.on(404, Outcome{"no messaging user is linked to that Support user"}.with_set("/merge/synced", false));
    return r;
  }

  // ---- helpers ----------------------------------------------------------------------------------
  // Placeholders ("{zendeskId}") stay as they are for the executor; known ids are encoded.
  static std::string segment(const std::string& id) {
    for (const char* placeholder : {"{userExternalId}", "{conversationId}", "{zendeskId}", "{ticketId}"})
      if (id == placeholder) return id;
    return percent_encode(id);
  }
  std::string user_external_id_value() const { return external_id_.value_or("{userExternalId}"); }
  std::string user_segment() const { return segment(user_external_id_value()); }
  std::string conversation_path() const {
    return kApp + "/conversations/" + segment(conversation_id_.empty() ? "{conversationId}" : conversation_id_);
  }

  void add(Request r) { requests_.push_back(std::move(r)); }
  void note(std::string code, std::string severity, std::string message) {
    diagnostics_.push_back({std::move(code), std::move(severity), std::move(message)});
  }
  bool block(std::string code, std::string message) {
    note(std::move(code), "error", std::move(message));
    return false;
  }

  // A non-idempotent request that was sent but never answered: probe before sending it again.
  void mark_probe_first() {
    const auto in_flight = p_.text("/inFlight");
    if (!in_flight || requests_.empty()) return;
    Request& next = requests_.front();
    if (next.id == *in_flight && next.probe) next.probe_first = true;
  }

  void write_resolved(JsonWriter& out) const {
    out.begin_object();
    if (external_id_) out.member("userExternalId", *external_id_);
    if (!conversation_id_.empty()) out.member("conversationId", conversation_id_).member("conversationReused", reused_);
    if (auto first = p_.text("/firstMessageId")) out.member("firstMessageId", *first);
    if (match_ == CallerMatch::one) out.member("matchedSupportUserId", matched_id_);
    if (auto z = p_.id("/supportLink/zendeskId")) out.member("zendeskId", *z);
    if (auto t = p_.id("/ticket/id")) out.member("ticketId", *t);
    out.member("handedOff", handed_off_).end_object();
  }

  const Handoff& h_;
  const Settings& s_;
  const Rendered& r_;
  Progress p_;

  std::vector<Request> requests_;
  std::vector<Diagnostic> diagnostics_;
  std::string phone_;
  CallerMatch match_ = CallerMatch::not_applicable;
  std::string matched_id_, matched_external_id_;
  std::optional<std::string> external_id_;
  std::string conversation_id_;
  const json* active_ = nullptr;
  bool reused_ = false;
  bool agent_workspace_already_active_ = false;
  bool all_posted_ = false;
  bool handed_off_ = false;
};

}  // namespace

void write_plan(JsonWriter& out, const Handoff& handoff, const Settings& settings, const Rendered& rendered,
                const json& progress) {
  Planner(handoff, settings, rendered, progress).run(out);
}

ordered_json make_plan(const Handoff& handoff, const Settings& settings, const Rendered& rendered,
                       const json& progress) {
  JsonWriter out;
  write_plan(out, handoff, settings, rendered, progress);
  return ordered_json::parse(out.text());
}

}  // namespace phone_handoff::plan
