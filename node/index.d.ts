// Types for phone-handoff (CommonJS entry; node/index.d.mts re-exports them for ES modules).
// Results are plain JSON decoded once from the core; shapes that other areas of the core still
// extend are typed loosely (JsonObject) rather than guessed.

/** A voice platform whose webhook `parse` understands ("canonical" is this package's own JSON). */
export type Source = 'canonical' | 'vapi' | 'retell' | 'elevenlabs' | 'bland';

/** Raw bytes: a Buffer, any typed array or DataView, or an ArrayBuffer. */
export type Bytes = ArrayBufferView | ArrayBuffer;

/** A JSON argument: JSON text, its UTF-8 bytes, or an object/array (stringified for you). */
export type JsonInput = string | Bytes | object;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export interface JsonObject { [key: string]: JsonValue }

/** One problem with an input, addressed by a JSON pointer (RFC 6901) into that input. */
export interface FieldIssue { pointer: string; message: string }

export type Speaker = 'ai' | 'caller' | 'human_agent' | 'system';
export type ReasonCategory = 'user_request' | 'missing_knowledge' | 'missing_tools'
  | 'unclear_instructions' | 'prohibited_topic' | 'frustration' | 'other';

/** The canonical handoff. Absent values are omitted; times are ISO 8601 UTC with milliseconds. */
export interface Handoff {
  version: 1;
  source?: Source;
  source_event?: string;
  event_id?: string;
  session_id?: string;
  org_id?: string;
  contact_id?: string;
  call_id?: string;
  agent?: { id?: string; name?: string };
  call?: {
    direction?: 'inbound' | 'outbound' | 'web';
    from?: string;
    to?: string;
    started_at?: string;
    ended_at?: string;
    language?: string;
    recording_url?: string;
    session_url?: string;
  };
  caller?: { phone?: string; name?: string; email?: string };
  handoff: {
    mode: 'live_transfer' | 'logged_escalation';
    requested_at?: string;
    transfer_destination?: string;
    follow_up?: { channel?: 'email' | 'sms' | 'callback'; address?: string };
    reason?: { category?: ReasonCategory; caller_asked?: string; ai_unresolved?: string };
    summary?: string;
    sentiment?: 'angry' | 'neutral' | 'happy';
  };
  /** Relative times are integer milliseconds from the start of the call. */
  transcript?: Array<{ speaker: Speaker; text: string; start_ms?: number; end_ms?: number; at?: string }>;
  tool_calls?: Array<{ name: string; at_ms?: number; result?: string }>;
  custom_fields?: { [name: string]: string | number | boolean };
}

/** Options for parse/diagnose (camelCase). */
export interface ParseOptions {
  maxBytes?: number;
  maxDepth?: number;
  defaultCountryCode?: string;
}

/** An invalid payload is a result, not an exception: check `'errors' in result`. */
export type ParseResult =
  | { handoff: Handoff; warnings: FieldIssue[] }
  | { errors: FieldIssue[] };

/** Errors point into {"existing": …, "incoming": …}, e.g. "/incoming/handoff/mode". */
export type MergeResult = { handoff: Handoff } | { errors: FieldIssue[] };

/** The call behind a ticket, for the sidebar: `isHandoff` false when the ticket has none. */
export interface ConversationResult {
  isHandoff: boolean;
  warnings?: FieldIssue[];
  [extra: string]: unknown;
}

export interface Finding { code: string; severity: string; message: string; pointer?: string }
export interface DiagnoseResult { findings: Finding[] }

export interface PlannedRequest { method: string; path: string; body?: JsonValue; [extra: string]: unknown }
/** The first-delivery plan for Sunshine Conversations; extra fields the core adds are kept. */
export interface PlanResult { requests: PlannedRequest[]; diagnostics: JsonValue[]; [extra: string]: unknown }
/** parse then plan in one call: the plan for the parsed handoff and parse's warnings, or parse's errors. */
export type DeliverResult =
  | { plan: PlanResult; warnings: FieldIssue[] }
  | { errors: FieldIssue[] };

/** Render/plan configuration (camelCase); see docs/api.md. Unknown keys are the core's to judge. */
export interface Config {
  tagPrefix?: string;
  extraTags?: string[];
  locale?: string;
  transcriptStyle?: 'packed' | 'per-turn';
  aiDisplayName?: string;
  sessionUrlTemplate?: string;
  ticketFields?: { [field: string]: number | { [name: string]: number } };
  redaction?: false | { cards?: boolean; cardSecurityCodes?: boolean; ssn?: boolean };
  agents?: { [agentId: string]: { displayName?: string; transferNumber?: string; followUpChannel?: 'email' | 'sms' | 'callback' } };
  sunshine?: { agentWorkspace?: string; integration?: string; multiConversations?: boolean; userExternalIdPrefix?: string };
  matchCallers?: boolean;
  [extra: string]: unknown;
}

/** Secrets and, for Vapi, which credential scheme (see docs/signatures.md). secrets[0] signs. */
export interface Auth {
  secrets?: string[];
  auth?: { type: 'secret_header' | 'bearer' | 'hmac'; [option: string]: unknown };
  /** sign only: what {url} / {method} render to in a Vapi payloadFormat. */
  url?: string;
  method?: string;
}
/** What arrived: headers as received, and "now" (Unix ms) for schemes with a timestamp. */
export interface VerifyRequest {
  headers?: { [name: string]: string | string[] };
  now?: number;
  url?: string;
  method?: string;
}
export type VerifyResult =
  | { ok: true; secretIndex: number }
  | { ok: false; reason: string; message: string };
export interface SignResult { headers: { [name: string]: string } }

/** Which implementation of the core runs: the native addon or WebAssembly, and the file loaded. */
export interface BackendInfo { readonly name: 'native' | 'wasm'; readonly path: string }

export type OperationName = 'parse' | 'diagnose' | 'merge' | 'redact' | 'render' | 'plan' | 'deliver'
  | 'verify' | 'sign' | 'conversation';

/** Thrown for a core error: `code` is `ERR_PHONE_HANDOFF_<CORE CODE>`, e.g. ERR_PHONE_HANDOFF_BAD_CONFIG. */
export interface PhoneHandoffError extends Error { code: string; operation: OperationName }

/** Turns a voice platform's webhook body into the canonical handoff, or says what is wrong. */
export declare function parse(source: Source, body: JsonInput, options?: ParseOptions | string): ParseResult;
/** Explains what a webhook body lacks for a good handoff, without failing on it. */
export declare function diagnose(source: Source, body: JsonInput, options?: ParseOptions | string): DiagnoseResult;
/** Combines an existing handoff with a later event about the same call. */
export declare function merge(existing: Handoff | JsonInput, incoming: Handoff | JsonInput): MergeResult;
/** Masks card numbers, security codes and SSNs; a string argument is treated as plain text. */
export declare function redact(handoffOrText: string | Handoff | JsonInput, config?: Config | string): JsonObject;
/** The Zendesk-facing text: summary, tags and transcript messages. */
export declare function render(handoff: Handoff | JsonInput, config?: Config | string): JsonObject;
/** The Sunshine Conversations requests that deliver a handoff (resumable with `progress`). */
export declare function plan(handoff: Handoff | JsonInput, config?: Config | string, progress?: JsonInput): PlanResult;
/** A webhook body straight to its Sunshine plan: parse, render (redacting once) and plan in one call. */
export declare function deliver(source: Source, body: JsonInput, config?: Config | string, progress?: JsonInput,
  options?: ParseOptions | string): DeliverResult;
/** Checks a webhook's signature the way its platform signs it. `body` must be the raw bytes. */
export declare function verify(source: Source, request: VerifyRequest | JsonInput, body: string | Bytes, auth?: Auth | JsonInput): VerifyResult;
/** Signs a body the way the platform does (for tests and the CLI's `send`); `now` is a Date or Unix ms. */
export declare function sign(source: Source, body: string | Bytes, auth: Auth | JsonInput, now?: Date | number): SignResult;
/** Reads a ticket's conversation back into handoff parts (used by the sidebar). */
export declare function conversation(ticketConversation: JsonInput, config?: JsonInput): ConversationResult;

export declare const backend: BackendInfo;
/** The core's version (equal to the package version). */
export declare const version: string;
export declare const operations: readonly OperationName[];
export declare const sources: readonly Source[];
