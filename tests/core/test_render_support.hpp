// Handoffs for the [render] tests, built in C++ so each test states exactly what it varies.
#pragma once

#include <string>

#include "phone_handoff/model.hpp"

namespace render_test {

using namespace phone_handoff;

inline int64_t jan1(int64_t seconds) { return 1767225600000 + seconds * 1000; }   // 2026-01-01T00:00:00Z + s

inline Handoff live_transfer() {
  Handoff h;
  h.source = "vapi";
  h.session_id = "sess-42";
  h.org_id = "org-7";
  h.contact_id = "contact-9";
  h.call_id = "call-1";
  h.agent = {"agent-1", "Ava"};
  h.call.direction = Direction::inbound;
  h.call.from = "+15550009999";
  h.call.to = "+15550001111";
  h.call.started_at_unix_ms = jan1(60);
  h.call.ended_at_unix_ms = jan1(60 + 128);
  h.call.recording_url = "https://rec.example/r/1.wav";
  h.caller = {"+15550009999", "Dana Smith", "dana@example.com"};
  h.handoff.mode = Mode::live_transfer;
  h.handoff.transfer_destination = "+15550100200";
  h.handoff.reason.category = ReasonCategory::user_request;
  h.handoff.reason.caller_asked = "A refund for a double charge";
  h.handoff.reason.ai_unresolved = "Refunds need a human to approve";
  h.handoff.summary = "Caller was charged twice for order 1234.";
  h.handoff.sentiment = Sentiment::angry;
  h.transcript = {
      {Speaker::ai, "Hi, this is Ava. How can I help?", 0, 2500, std::nullopt},
      {Speaker::caller, "I was charged twice and I want to talk to a person.", 3000, 6400, std::nullopt},
      {Speaker::ai, "I'll transfer you now.", 7000, 8200, std::nullopt},
  };
  return h;
}

inline Handoff logged_escalation() {
  Handoff h = live_transfer();
  h.handoff.mode = Mode::logged_escalation;
  h.handoff.transfer_destination.clear();
  h.handoff.follow_up = {FollowUpChannel::sms, "+15550009999"};
  return h;
}

}  // namespace render_test
