// Test support for the Sunshine plan: a small in-memory Zendesk (Sunshine Conversations + the
// Support calls the plan makes) and an executor that follows docs/plan.md to the letter. The
// fake keeps real state (users, conversations, messages, switchboard control), so the tests can
// count what was created: a repeated POST shows up as a second conversation or message.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace plan_test {

using nlohmann::json;

struct Response {
  int status = 200;
  json body = json::object();
};

inline std::string percent_decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

inline std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : path.substr(0, path.find('?'))) {
    if (c == '/') {
      if (!current.empty()) parts.push_back(percent_decode(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) parts.push_back(percent_decode(current));
  return parts;
}

inline std::string query_value(const std::string& path, const std::string& name) {
  const auto at = path.find(name + "=");
  if (at == std::string::npos) return "";
  const auto end = path.find('&', at);
  return percent_decode(path.substr(at + name.size() + 1, end == std::string::npos ? std::string::npos : end - at - name.size() - 1));
}

class FakeZendesk {
 public:
  // Knobs.
  json support_search_results = json::array();  // what the caller search returns
  bool multi_conversations = true;
  int second_conversation_status = 409;        // the [VERIFY]: whatever Sunshine answers
  std::string second_conversation_code = "conflict";
  std::string default_responder = "zd-agentWorkspace";
  std::string new_support_user_id = "9001";    // the Support user AW creates for the ticket
  int merge_status = 200;
  int search_status = 200;

  // State.
  std::map<std::string, json> users;           // by externalId
  std::map<std::string, json> conversations;   // by id
  std::map<std::string, std::vector<json>> messages;  // by conversation id
  std::vector<std::string> applied;            // every request that changed state, by step id
  std::map<std::string, int> calls;            // every request, by step id
  int next_id = 1;

  std::string make_id(const char* prefix) { return prefix + std::to_string(next_id++); }

  Response handle(const json& request) {
    const std::string method = request["method"];
    const std::string path = request["path"];
    const std::string id = request["id"];
    calls[id]++;
    const auto p = split_path(path);
    const json& body = request["body"];
    if (path.find("{") != std::string::npos) return {500, {{"error", "unsubstituted placeholder in " + path}}};
    if (p.size() >= 3 && p[0] == "api" && p[2] == "search.json") {
      if (search_status != 200) return {search_status, {{"error", "Forbidden"}}};
      if (query_value(path, "query").rfind("type:ticket", 0) == 0)
        return {200, {{"count", 1}, {"results", {{{"id", 555}}}}}};
      return {200, {{"count", support_search_results.size()}, {"results", support_search_results}}};
    }
    if (p.size() == 5 && p[0] == "api" && p[2] == "users" && p[4] == "merge" && method == "PUT") {
      if (merge_status != 200) return {merge_status, {{"error", "Not mergeable"}}};
      applied.push_back(id);
      return {200, {{"user", {{"id", body["user"]["id"]}}}}};
    }
    if (p.size() == 4 && p[0] == "api" && p[2] == "tickets" && method == "PUT") {
      applied.push_back(id);
      return {200, {{"ticket", {{"id", std::stoll(p[3])}}}}};
    }
    // /sc/v2/apps/{appId}/…
    if (p.size() < 5 || p[0] != "sc" || p[3] != "app1") return {404, {{"errors", {{{"code", "not_found"}}}}}};
    const std::string collection = p[4];
    if (collection == "users") return users_route(method, p, body, id);
    if (collection == "conversations") return conversations_route(method, p, path, body, id);
    return {404, json::object()};
  }

 private:
  Response users_route(const std::string& method, const std::vector<std::string>& p, const json& body,
                       const std::string& id) {
    if (p.size() == 5 && method == "POST") {
      const std::string ext = body["externalId"];
      if (users.count(ext)) return {409, {{"errors", {{{"code", "conflict"}, {"title", "User already exists"}}}}}};
      json user = body;
      user["id"] = make_id("u");
      users[ext] = user;
      applied.push_back(id);
      return {201, {{"user", user}}};
    }
    if (p.size() == 6 && method == "GET") {
      auto it = users.find(p[5]);
      if (it == users.end()) return {404, {{"errors", {{{"code", "user_not_found"}}}}}};
      return {200, {{"user", it->second}}};
    }
    if (p.size() == 7 && p[6] == "sync" && method == "POST") {
      applied.push_back(id);
      return {200, {{"user", {{"zendeskId", body["survivingZendeskId"]}}}}};
    }
    return {404, json::object()};
  }

  Response conversations_route(const std::string& method, const std::vector<std::string>& p,
                               const std::string& path, const json& body, const std::string& id) {
    if (p.size() == 5 && method == "POST") {
      const std::string ext = body["participants"][0]["userExternalId"];
      if (!users.count(ext)) return {404, {{"errors", {{{"code", "user_not_found"}}}}}};
      for (const auto& [cid, c] : conversations)
        if (c["_user"] == ext && !multi_conversations)
          return {second_conversation_status,
                  {{"errors", {{{"code", second_conversation_code}, {"title", "Conversation limit reached"}}}}}};
      json c = body;
      c.erase("participants");
      c["id"] = make_id("c");
      c["_user"] = ext;
      c["lastUpdatedAt"] = "2026-01-01T00:00:0" + std::to_string(next_id % 10) + ".000Z";
      c["activeSwitchboardIntegration"] = {{"name", default_responder}, {"integrationType", "custom"}};
      conversations[c["id"]] = c;
      applied.push_back(id);
      return {201, {{"conversation", c}}};
    }
    if (p.size() == 5 && method == "GET") {
      const std::string ext = query_value(path, "filter[userExternalId]");
      json list = json::array();
      for (const auto& [cid, c] : conversations)
        if (c["_user"] == ext) list.push_back(c);
      return {200, {{"conversations", list}, {"links", json::object()}}};
    }
    auto it = conversations.find(p.size() > 5 ? p[5] : "");
    if (it == conversations.end()) return {404, {{"errors", {{{"code", "conversation_not_found"}}}}}};
    json& c = it->second;
    if (p.size() == 6 && method == "GET") return {200, {{"conversation", c}}};
    if (p.size() == 7 && p[6] == "passControl" && method == "POST") {
      const std::string target = body["switchboardIntegration"];
      c["activeSwitchboardIntegration"] = {{"name", target},
                                           {"integrationType", target == "zd-agentWorkspace" ? "zd:agentWorkspace" : "custom"}};
      if (target == "zd-agentWorkspace") {
        c["_passMetadata"] = body["metadata"];
        users[c["_user"]]["zendeskId"] = new_support_user_id;  // the ticket links the user
      }
      applied.push_back(id);
      return {200, json::object()};
    }
    if (p.size() == 7 && p[6] == "messages" && method == "POST") {
      json m = body;
      m["id"] = make_id("m");
      messages[c["id"]].push_back(m);
      applied.push_back(id);
      return {201, {{"messages", {m}}}};
    }
    if (p.size() == 7 && p[6] == "messages" && method == "GET")
      return {200, {{"messages", messages[c["id"]]}, {"links", json::object()}}};
    return {404, json::object()};
  }
};

// RFC 6901 set that creates OBJECTS for missing parents (docs/plan.md: progress never holds
// arrays it did not capture whole), unlike nlohmann's operator[] which makes arrays for "/1".
inline void pointer_set(json& doc, const std::string& pointer, const json& value) {
  json* node = &doc;
  size_t at = 0;
  while (at < pointer.size()) {
    size_t next = pointer.find('/', at + 1);
    if (next == std::string::npos) next = pointer.size();
    std::string token = pointer.substr(at + 1, next - at - 1);
    for (size_t i; (i = token.find("~1")) != std::string::npos;) token.replace(i, 2, "/");
    for (size_t i; (i = token.find("~0")) != std::string::npos;) token.replace(i, 2, "~");
    if (!node->is_object()) *node = json::object();
    node = &(*node)[token];
    at = next;
  }
  *node = value;
}

inline const json* pointer_get(const json& doc, const std::string& pointer) {
  try {
    const json& v = doc.at(json::json_pointer(pointer));
    return &v;
  } catch (const json::exception&) {
    return nullptr;
  }
}

inline void apply_outcome(json& progress, const json& outcome, const json& response) {
  for (const auto& [to, value] : outcome["set"].items()) pointer_set(progress, to, value);
  for (const auto& [to, from] : outcome["capture"].items())
    if (const json* v = pointer_get(response, from.get<std::string>())) pointer_set(progress, to, *v);
}

// Executes one plan step per docs/plan.md. Returns false when the plan is done or blocked.
struct Executor {
  Executor(FakeZendesk& z, std::function<json(const json& progress)> planner)
      : zendesk(z), plan(std::move(planner)) {}

  FakeZendesk& zendesk;
  std::function<json(const json& progress)> plan;
  json progress = json::object();
  std::vector<std::string> steps;         // ids of requests sent, in order
  std::set<std::string> lose_answer_of;   // step ids whose answer is lost once (sent, then "crash")
  json last_plan;

  static json substitute_app(json request) {
    std::string path = request["path"];
    const std::string placeholder = "{appId}";
    auto at = path.find(placeholder);
    if (at != std::string::npos) path.replace(at, placeholder.size(), "app1");
    request["path"] = path;
    return request;
  }

  bool probe(const json& request) {
    json probe = request["probe"];
    probe["id"] = request["id"].get<std::string>() + "#probe";
    probe["body"] = nullptr;
    const Response r = zendesk.handle(substitute_app(probe));
    if (r.status != 200) return false;
    json candidates = json::array();
    if (probe.contains("items")) {
      if (const json* items = pointer_get(r.body, probe["items"])) candidates = *items;
    } else if (const json* item = pointer_get(r.body, probe["item"])) {
      candidates.push_back(*item);
    }
    for (const auto& candidate : candidates)
      for (const auto& match : probe["matchAny"]) {
        bool all = true;
        for (const auto& [pointer, value] : match.items()) {
          const json* v = pointer_get(candidate, pointer);
          all = all && v && *v == value;
        }
        if (all) {
          apply_outcome(progress, probe["found"], candidate);
          return true;
        }
      }
    return false;
  }

  bool step() {
    last_plan = plan(progress);
    if (last_plan.contains("error") || last_plan["done"] == true || last_plan["requests"].empty()) return false;
    const json request = last_plan["requests"][0];
    const std::string id = request["id"];
    if (request.value("probeFirst", false) && probe(request)) {
      progress.erase("inFlight");
      return true;
    }
    if (!request["idempotent"].get<bool>()) progress["inFlight"] = id;
    steps.push_back(id);
    const Response r = zendesk.handle(substitute_app(request));
    if (lose_answer_of.erase(id)) return true;  // the answer never arrived: inFlight stays
    const std::string status = std::to_string(r.status);
    bool expected = false;
    for (const auto& s : request["expect"]) expected = expected || s == r.status;
    if (expected) {
      apply_outcome(progress, request, r.body);
    } else if (request["onStatus"].contains(status)) {
      apply_outcome(progress, request["onStatus"][status], r.body);
    } else {
      progress.erase("inFlight");
      last_plan["fatal"] = {{"id", id}, {"status", r.status}, {"body", r.body}};
      return false;
    }
    progress.erase("inFlight");
    return true;
  }

  void run(int limit = 5000) {
    for (int i = 0; i < limit && step(); ++i) {
    }
  }
};

}  // namespace plan_test
