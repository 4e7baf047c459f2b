'use strict';
// Reference semantics of ../shared/docs/iam-semantics.md for the NARROW places where the oracle
// (@cloud-copilot/iam-simulate) is known to deviate from AWS's documentation or from our §6 choices.
// The harness never uses this module to decide a case on its own: a documented deviation (deviations.json)
// only swaps these semantics in for the conditions / resource entries that fall inside its predicate, re-runs
// the oracle, and excuses a disagreement only if the patched oracle then gives pdt's answer.
//
// Three-valued results: true, false, or INDET ('indet'), as in §0.

const INDET = 'indet';

function and3(vals) {
  let indet = false;
  for (const v of vals) { if (v === false) return false; if (v === INDET) indet = true; }
  return indet ? INDET : true;
}
function or3(vals) {
  let indet = false;
  for (const v of vals) { if (v === true) return true; if (v === INDET) indet = true; }
  return indet ? INDET : false;
}
function not3(v) { return v === INDET ? INDET : !v; }

// ---------------------------------------------------------------- policy strings and variables (§5)

/** Splits a policy string into tokens: {t:'lit',s} {t:'wild',s:'*'|'?'} {t:'var',name,def} {t:'esc',s}.
 *  With vars=false (Version is not 2012-10-17) `${...}` is literal text. */
function tokenize(str, vars) {
  const out = [];
  let lit = '';
  const flush = () => { if (lit) { out.push({ t: 'lit', s: lit }); lit = ''; } };
  for (let i = 0; i < str.length;) {
    const c = str[i];
    if (c === '*' || c === '?') { flush(); out.push({ t: 'wild', s: c }); i++; continue; }
    if (vars && c === '$' && str[i + 1] === '{') {
      const end = str.indexOf('}', i + 2);
      if (end >= 0) {
        const inner = str.slice(i + 2, end);
        flush();
        if (inner === '*' || inner === '?' || inner === '$') out.push({ t: 'esc', s: inner });
        else {
          const m = /^([^\s,]+)(?:, '([^']*)')?$/.exec(inner);
          if (m) out.push({ t: 'var', name: m[1], def: m[2] });
          else out.push({ t: 'lit', s: str.slice(i, end + 1) });
        }
        i = end + 1;
        continue;
      }
    }
    lit += c; i++;
  }
  flush();
  return out;
}

function ctxGet(ctx, key) {
  const k = key.toLowerCase();
  for (const name of Object.keys(ctx || {})) if (name.toLowerCase() === k) return ctx[name];
  return undefined;
}

/** Value of a policy variable: a string, or undefined when it has no value (§5). */
function varValue(ctx, tok) {
  const v = ctxGet(ctx, tok.name);
  if (typeof v === 'string' && v !== '') return v;
  if (tok.def !== undefined) return tok.def;
  return undefined;
}

function hasUnresolvedVar(str, ctx, vars) {
  return tokenize(str, vars).some((t) => t.t === 'var' && varValue(ctx, t) === undefined);
}

function reEsc(s) { return s.replace(/[.*+?^${}()|[\]\\\/-]/g, '\\$&'); }

// ---------------------------------------------------------------- Resource element (§3.2)

/** Splits tokens at literal ':' into segments (a variable is one unit). */
function segments(tokens) {
  const segs = [[]];
  for (const tk of tokens) {
    if (tk.t === 'lit' && tk.s.includes(':')) {
      const parts = tk.s.split(':');
      parts.forEach((p, i) => {
        if (i > 0) segs.push([]);
        if (p) segs[segs.length - 1].push({ t: 'lit', s: p });
      });
    } else segs[segs.length - 1].push(tk);
  }
  return segs;
}

/** §3.2: does the Resource pattern match the request resource? Unresolved variable: matches nothing. */
function resourceMatch(pattern, resource, ctx, vars) {
  if (pattern === '*') return true;
  if (resource === '*') return false;
  const segs = segments(tokenize(pattern, vars));
  let src = '';
  for (let si = 0; si < segs.length; si++) {
    if (si > 0) src += ':';
    const seg = segs[si];
    for (let i = 0; i < seg.length; i++) {
      const tk = seg[i];
      if (tk.t === 'lit' || tk.t === 'esc') src += reEsc(tk.s);
      else if (tk.t === 'var') {
        const v = varValue(ctx, tk);
        if (v === undefined) return false;
        src += reEsc(v);
      } else if (tk.s === '?') src += '[^:]';
      else src += i === seg.length - 1 ? '[\\s\\S]*' : '[^:]*';
    }
  }
  return new RegExp('^' + src + '$').test(resource);
}

// ---------------------------------------------------------------- condition operators (§4)

const NEGATED = {
  stringnotequals: 'stringequals', stringnotequalsignorecase: 'stringequalsignorecase', stringnotlike: 'stringlike',
  numericnotequals: 'numericequals', datenotequals: 'dateequals', notipaddress: 'ipaddress',
  arnnotequals: 'arnequals', arnnotlike: 'arnlike',
};

function parseOp(op) {
  let set = null, rest = op;
  const m = /^(ForAllValues|ForAnyValue):(.*)$/.exec(op);
  if (m) { set = m[1]; rest = m[2]; }
  let ifExists = false;
  if (rest.endsWith('IfExists')) { ifExists = true; rest = rest.slice(0, -8); }
  const base = rest.toLowerCase();
  const negated = Object.prototype.hasOwnProperty.call(NEGATED, base);
  return { set, ifExists, base, negated, positive: negated ? NEGATED[base] : base };
}

function typeOf(base) {
  if (base.startsWith('string')) return 'string';
  if (base.startsWith('numeric')) return 'numeric';
  if (base.startsWith('date')) return 'date';
  if (base === 'bool') return 'bool';
  if (base === 'binaryequals') return 'binary';
  if (base === 'ipaddress' || base === 'notipaddress') return 'ip';
  if (base.startsWith('arn')) return 'arn';
  if (base === 'null') return 'null';
  return 'unknown';
}

// numbers: [+-]?digits[.digits], compared exactly
function parseNum(s) {
  const m = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return null;
  return { neg: m[1] === '-', int: m[2], frac: m[3] || '' };
}
function cmpNum(a, b) {
  const scale = Math.max(a.frac.length, b.frac.length);
  const big = (n) => {
    const v = BigInt(n.int + n.frac.padEnd(scale, '0'));
    return n.neg ? -v : v;
  };
  const x = big(a), y = big(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

// dates: W3C profile or all-digit epoch seconds, to milliseconds
const ISO = /^\d{4}-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?)?$/;
function parseDate(s) {
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  if (!ISO.test(s)) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
}

const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
function parseB64(s) { return B64.test(s) ? Buffer.from(s, 'base64') : null; }

function parseV4(s) {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  let v = 0n;
  for (let i = 1; i <= 4; i++) { const o = Number(m[i]); if (o > 255) return null; v = (v << 8n) | BigInt(o); }
  return v;
}
function parseV6(s) {
  if (!/^[0-9A-Fa-f:]+$/.test(s)) return null;
  const dbl = s.split('::');
  if (dbl.length > 2) return null;
  const part = (x) => (x === '' ? [] : x.split(':'));
  const head = part(dbl[0]), tail = dbl.length === 2 ? part(dbl[1]) : [];
  const groups = dbl.length === 2 ? [...head, ...Array(8 - head.length - tail.length).fill('0'), ...tail] : head;
  if (groups.length !== 8 || (dbl.length === 2 && head.length + tail.length > 7)) return null;
  let v = 0n;
  for (const g of groups) { if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return null; v = (v << 16n) | BigInt('0x' + g); }
  return v;
}
function parseAddr(s) {
  const v4 = parseV4(s);
  if (v4 !== null) return { fam: 4, v: v4 };
  const v6 = parseV6(s);
  if (v6 !== null) return { fam: 6, v: v6 };
  return null;
}
function parseCidr(s) {
  const [a, p, ...rest] = s.split('/');
  if (rest.length) return null;
  const addr = parseAddr(a);
  if (!addr) return null;
  const bits = addr.fam === 4 ? 32 : 128;
  const len = p === undefined ? bits : /^\d{1,3}$/.test(p) ? Number(p) : -1;
  if (len < 0 || len > bits) return null;
  return { fam: addr.fam, v: addr.v, len, bits };
}
function inCidr(addr, c) {
  if (addr.fam !== c.fam) return false;
  const shift = BigInt(c.bits - c.len);
  return (addr.v >> shift) === (c.v >> shift);
}

/** Builds a regex from tokens with wildcards; substituted text is literal. null when a variable has no value. */
function globRegex(tokens, ctx, wildcards, flags) {
  let src = '';
  for (const tk of tokens) {
    if (tk.t === 'lit' || tk.t === 'esc') src += reEsc(tk.s);
    else if (tk.t === 'var') { const v = varValue(ctx, tk); if (v === undefined) return null; src += reEsc(v); }
    else if (!wildcards) src += reEsc(tk.s);
    else src += tk.s === '*' ? '[\\s\\S]*' : '[\\s\\S]';
  }
  return new RegExp('^' + src + '$', flags || '');
}

function splitArn6(tokens) {
  // first five ':' outside variables separate components; the sixth keeps further ':'
  const comps = [[]];
  for (const tk of tokens) {
    if (tk.t === 'lit' && tk.s.includes(':') && comps.length < 6) {
      let rest = tk.s;
      while (rest.includes(':') && comps.length < 6) {
        const i = rest.indexOf(':');
        if (i > 0) comps[comps.length - 1].push({ t: 'lit', s: rest.slice(0, i) });
        comps.push([]);
        rest = rest.slice(i + 1);
      }
      if (rest) comps[comps.length - 1].push({ t: 'lit', s: rest });
    } else comps[comps.length - 1].push(tk);
  }
  return comps;
}

/** Positive comparison of one request value r with one policy value p: true/false/INDET. */
function cmpPositive(positive, r, p, ctx, vars) {
  const ty = typeOf(positive);
  if (ty === 'string') {
    const re = globRegex(tokenize(p, vars), ctx, positive === 'stringlike',
      positive === 'stringequalsignorecase' ? 'i' : '');
    if (!re) return false;
    return re.test(r);
  }
  if (ty === 'numeric') {
    const a = parseNum(r), b = parseNum(p);
    if (!a || !b) return INDET;
    const c = cmpNum(a, b);
    return { numericequals: c === 0, numericlessthan: c < 0, numericlessthanequals: c <= 0,
      numericgreaterthan: c > 0, numericgreaterthanequals: c >= 0 }[positive];
  }
  if (ty === 'date') {
    const a = parseDate(r), b = parseDate(p);
    if (a === null || b === null) return INDET;
    return { dateequals: a === b, datelessthan: a < b, datelessthanequals: a <= b,
      dategreaterthan: a > b, dategreaterthanequals: a >= b }[positive];
  }
  if (ty === 'bool') {
    const a = r.toLowerCase();
    if (a !== 'true' && a !== 'false') return INDET;
    return a === p.toLowerCase();
  }
  if (ty === 'binary') {
    const a = parseB64(r), b = parseB64(p);
    if (!a || !b) return INDET;
    return a.equals(b);
  }
  if (ty === 'ip') {
    const a = parseAddr(r), c = parseCidr(p);
    if (!a || !c) return INDET;
    return inCidr(a, c);
  }
  if (ty === 'arn') {
    if ((r.match(/:/g) || []).length < 5) return false;
    const pc = splitArn6(tokenize(p, vars));
    if (pc.length < 6) return false;
    const rc = r.split(':');
    const rcomps = [...rc.slice(0, 5), rc.slice(5).join(':')];
    for (let i = 0; i < 6; i++) {
      const re = globRegex(pc[i], ctx, true, '');
      if (!re || !re.test(rcomps[i])) return false;
    }
    return true;
  }
  return INDET;
}

/** One (operator, key, values) test of §4 against the request context. */
function conditionValue(op, key, policyValues, ctx, vars) {
  const o = parseOp(op);
  const raw = ctxGet(ctx, key);
  const absentPlain = raw === undefined || (Array.isArray(raw) && raw.length === 0);
  const absentNull = absentPlain || raw === '';
  if (o.base === 'null') {
    return or3(policyValues.map((v) => (String(v).toLowerCase() === 'true' ? absentNull : !absentNull)));
  }
  const pv = policyValues.map(String);
  const test = (r) => {
    const pos = or3(pv.map((p) => cmpPositive(o.positive, r, p, ctx, vars)));
    return o.negated ? not3(pos) : pos;
  };
  if (o.set) {
    if (absentNull) return o.ifExists ? true : o.set === 'ForAllValues';
    const elems = Array.isArray(raw) ? raw : [raw];
    const rs = elems.map(test);
    return o.set === 'ForAllValues' ? and3(rs) : or3(rs);
  }
  if (absentPlain) return o.ifExists || o.negated;
  if (Array.isArray(raw)) return INDET;
  return test(raw);
}

module.exports = {
  INDET, and3, or3, not3, tokenize, segments, ctxGet, varValue, hasUnresolvedVar, resourceMatch,
  parseOp, typeOf, parseNum, parseDate, parseB64, parseAddr, parseCidr, conditionValue, splitArn6, NEGATED,
};
