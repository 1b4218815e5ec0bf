// Types for the browser entry: the Node API's functions, available after `await init()`.
export type {
  Source, Bytes, JsonInput, JsonValue, JsonObject, FieldIssue, Speaker, ReasonCategory, Handoff,
  ParseOptions, ParseResult, Finding, DiagnoseResult, PlannedRequest, PlanResult, DeliverResult, Config,
  BackendInfo, OperationName, PhoneHandoffError, Auth, VerifyRequest, VerifyResult, SignResult, MergeResult, ConversationResult,
} from './index.js';
export {
  parse, diagnose, merge, redact, render, plan, deliver, verify, sign, conversation, operations, sources,
} from './index.js';
import type { BackendInfo } from './index.js';

export interface InitOptions {
  /** Where phone_handoff.mjs lives when it is not served next to this package. */
  moduleUrl?: string | URL;
  /** The .wasm bytes, when you fetch them yourself (skips the module's own fetch). */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Maps a file the module needs (phone_handoff.wasm) to a URL. */
  locateFile?: (path: string, scriptDirectory: string) => string;
}

/** Loads the WebAssembly core; call (and await) once before anything else. */
export declare function init(options?: InitOptions): Promise<void>;
/** null until init() resolves. */
export declare let backend: BackendInfo | null;
/** null until init() resolves. */
export declare let version: string | null;
