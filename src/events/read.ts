/**
 * Small typed readers over an untrusted webhook payload. Every failure is an
 * InputError that names the event and the field path, so that a payload of
 * another event (or a hand-edited file) gets a message a user can act on.
 */
import { InputError } from "../util/errors.js";

export type Json = Record<string, unknown>;

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** "a push", "an issues": the article for an event name as it is said. */
function article(event: string): string {
  return /^[aeiou]/i.test(event) ? "an" : "a";
}

/** `payload is not an "issues" event`: the start of every message about a payload of another event. */
export function notEvent(event: string): string {
  return `payload is not ${article(event)} "${event}" event`;
}

export const WRONG_EVENT_HINT = "check that the payload file matches the event name, or pass the matching event";

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export class PayloadReader {
  constructor(
    readonly event: string,
    readonly root: Json,
  ) {}

  /** The value at a dotted path, or undefined when any step is absent. */
  get(path: string): unknown {
    let cur: unknown = this.root;
    for (const key of path.split(".")) {
      if (Array.isArray(cur) && /^\d+$/.test(key)) cur = cur[Number(key)];
      else if (isObject(cur)) cur = cur[key];
      else return undefined;
    }
    return cur;
  }

  missing(path: string): InputError {
    return new InputError(`${notEvent(this.event)}: missing "${path}"`, WRONG_EVENT_HINT);
  }

  wrongType(path: string, want: string, value: unknown): InputError {
    return new InputError(`"${this.event}" payload: "${path}" must be ${want}, got ${describe(value)}`);
  }

  has(path: string): boolean {
    const v = this.get(path);
    return v !== undefined && v !== null;
  }

  obj(path: string): Json {
    const v = this.get(path);
    if (v === undefined || v === null) throw this.missing(path);
    if (!isObject(v)) throw this.wrongType(path, "an object", v);
    return v;
  }

  optObj(path: string): Json | undefined {
    const v = this.get(path);
    if (v === undefined || v === null) return undefined;
    if (!isObject(v)) throw this.wrongType(path, "an object", v);
    return v;
  }

  str(path: string): string {
    const v = this.get(path);
    if (v === undefined || v === null) throw this.missing(path);
    if (typeof v !== "string") throw this.wrongType(path, "a string", v);
    return v;
  }

  optStr(path: string): string | undefined {
    const v = this.get(path);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "string") throw this.wrongType(path, "a string", v);
    return v;
  }

  /** A body that GitHub sends as null when empty: must be present, may be null. */
  body(path: string): string {
    const v = this.get(path);
    if (v === undefined) throw this.missing(path);
    if (v === null) return "";
    if (typeof v !== "string") throw this.wrongType(path, "a string or null", v);
    return v;
  }

  num(path: string): number {
    const v = this.get(path);
    if (v === undefined || v === null) throw this.missing(path);
    if (typeof v !== "number" || !Number.isFinite(v)) throw this.wrongType(path, "a number", v);
    return v;
  }

  optNum(path: string): number | undefined {
    const v = this.get(path);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "number" || !Number.isFinite(v)) throw this.wrongType(path, "a number", v);
    return v;
  }

  bool(path: string, fallback: boolean): boolean {
    const v = this.get(path);
    if (v === undefined || v === null) return fallback;
    if (typeof v !== "boolean") throw this.wrongType(path, "a boolean", v);
    return v;
  }

  /** An array that may be absent (→ empty). */
  arr(path: string): unknown[] {
    const v = this.get(path);
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw this.wrongType(path, "an array", v);
    return v;
  }

  /** A reader rooted at an element of an array, with paths reported in full. */
  at(path: string, value: unknown): PayloadReader {
    if (!isObject(value)) throw this.wrongType(path, "an object", value);
    return new ScopedReader(this.event, value, path);
  }
}

class ScopedReader extends PayloadReader {
  constructor(
    event: string,
    root: Json,
    private readonly prefix: string,
  ) {
    super(event, root);
  }
  override missing(path: string): InputError {
    return super.missing(`${this.prefix}.${path}`);
  }
  override wrongType(path: string, want: string, value: unknown): InputError {
    return super.wrongType(`${this.prefix}.${path}`, want, value);
  }
}
