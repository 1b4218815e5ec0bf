// phone-handoff for Node (ES module): the CommonJS entry re-exported, so both share one backend.
import api from './index.js';

export const {
  parse, diagnose, merge, redact, render, plan, deliver, verify, sign, conversation,
  backend, version, operations, sources,
} = api;
export default api;
