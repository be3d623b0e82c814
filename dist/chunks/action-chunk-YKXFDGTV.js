import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);

// src/util/secret-mask.ts
var MIN_SECRET_LENGTH = 4;
var REPLACEMENT = "***";
var json = (s) => JSON.stringify(s).slice(1, -1);
function base64At(value, offset) {
  const bytes = Buffer.concat([Buffer.alloc(offset), Buffer.from(value, "utf8")]);
  const text = bytes.toString("base64").replace(/=+$/, "");
  const start = [0, 2, 3][offset];
  const end = bytes.length % 3 === 0 ? text.length : text.length - 1;
  return text.slice(start, end);
}
function secretForms(secret) {
  const bases = /* @__PURE__ */ new Set([secret]);
  if (/[\r\n]/.test(secret)) for (const line of secret.split(/\r?\n|\r/)) bases.add(line.trim());
  const forms = /* @__PURE__ */ new Set();
  for (const b of bases) {
    if (b.length < MIN_SECRET_LENGTH) continue;
    forms.add(b);
    forms.add(json(b));
    forms.add(json(json(b)));
    forms.add(encodeURIComponent(b));
    for (const offset of [0, 1, 2]) forms.add(base64At(b, offset));
  }
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}
var SecretMasker = class {
  /** Longest first, so that a form containing another is masked whole. */
  forms;
  constructor(secrets) {
    const all = /* @__PURE__ */ new Set();
    for (const s of secrets) for (const f of secretForms(s)) all.add(f);
    this.forms = [...all].sort((a, b) => b.length - a.length);
  }
  /** Length of the longest form (0 without secrets): how much of a stream tail could still begin one. */
  get longest() {
    return this.forms[0]?.length ?? 0;
  }
  mask(text) {
    let out = text;
    for (let again = true; again; ) {
      again = false;
      for (const f of this.forms) if (out.includes(f)) out = out.split(f).join(REPLACEMENT), again = true;
    }
    return out;
  }
  /** Masks every string (and key) inside a JSON-like value. */
  maskDeep(value) {
    if (this.forms.length === 0) return value;
    const walk = (v) => {
      if (typeof v === "string") return this.mask(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === "object" && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [this.mask(k), walk(x)]));
      }
      return v;
    };
    return value === void 0 ? value : walk(JSON.parse(JSON.stringify(value)));
  }
};
function secretMask(secrets) {
  const m = new SecretMasker(secrets);
  return m.forms.length ? (text) => m.mask(text) : (text) => text;
}

export {
  secretForms,
  SecretMasker,
  secretMask
};
