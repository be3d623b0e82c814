/**
 * The one secret masker of gitcrew, used by every sink (logs, events, records,
 * comments, the store, metrics labels, error messages, the Action's output).
 * Like the Actions runner, it masks not only a secret's raw value but the
 * forms it takes on the way: JSON-escaped (records and events are JSON; a PEM
 * key or a JSON credential holds `\n` and `"`), URL-encoded, base64 at each of
 * the three byte offsets, and each line of a multi-line secret.
 */

export type Mask = (text: string) => string;

/** Shorter values (or lines) would mask ordinary words; the runner has a similar floor. */
export const MIN_SECRET_LENGTH = 4;

const REPLACEMENT = "***";

const json = (s: string) => JSON.stringify(s).slice(1, -1);

/**
 * Base64 of `value` as it appears inside a longer base64 text: `offset` bytes
 * before it, the characters that also depend on neighbouring bytes dropped.
 */
function base64At(value: string, offset: 0 | 1 | 2): string {
  const bytes = Buffer.concat([Buffer.alloc(offset), Buffer.from(value, "utf8")]);
  const text = bytes.toString("base64").replace(/=+$/, "");
  const start = [0, 2, 3][offset] as number;
  // The last character mixes the value's last bits with what follows unless the bytes end a 3-byte group.
  const end = bytes.length % 3 === 0 ? text.length : text.length - 1;
  return text.slice(start, end);
}

/** Every form of one secret that is masked, each at least MIN_SECRET_LENGTH long. */
export function secretForms(secret: string): string[] {
  const bases = new Set<string>([secret]);
  if (/[\r\n]/.test(secret)) for (const line of secret.split(/\r?\n|\r/)) bases.add(line.trim());
  const forms = new Set<string>();
  for (const b of bases) {
    if (b.length < MIN_SECRET_LENGTH) continue;
    forms.add(b);
    forms.add(json(b));
    forms.add(json(json(b))); // JSON kept inside a JSON string (a result's text field holding JSON)
    forms.add(encodeURIComponent(b));
    for (const offset of [0, 1, 2] as const) forms.add(base64At(b, offset));
  }
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

export class SecretMasker {
  /** Longest first, so that a form containing another is masked whole. */
  readonly forms: readonly string[];

  constructor(secrets: Iterable<string>) {
    const all = new Set<string>();
    for (const s of secrets) for (const f of secretForms(s)) all.add(f);
    this.forms = [...all].sort((a, b) => b.length - a.length);
  }

  /** Length of the longest form (0 without secrets): how much of a stream tail could still begin one. */
  get longest(): number {
    return this.forms[0]?.length ?? 0;
  }

  mask(text: string): string {
    let out = text;
    // Again until nothing is left: *** next to text can form a secret that has `*` in it.
    // Each pass shortens the text (forms are longer than ***), so this ends.
    for (let again = true; again; ) {
      again = false;
      for (const f of this.forms) if (out.includes(f)) (out = out.split(f).join(REPLACEMENT), (again = true));
    }
    return out;
  }

  /** Masks every string (and key) inside a JSON-like value. */
  maskDeep<T>(value: T): T {
    if (this.forms.length === 0) return value;
    const walk = (v: unknown): unknown => {
      if (typeof v === "string") return this.mask(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === "object" && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [this.mask(k), walk(x)]));
      }
      return v;
    };
    // Through JSON first, as the value is stored or sent: what is left is plain data.
    return value === undefined ? value : (walk(JSON.parse(JSON.stringify(value))) as T);
  }
}

/** A mask function over `secrets` (the identity without any). */
export function secretMask(secrets: Iterable<string>): Mask {
  const m = new SecretMasker(secrets);
  return m.forms.length ? (text) => m.mask(text) : (text) => text;
}
