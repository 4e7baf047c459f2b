'use strict';
// A checker of iam-semantics.md §1 (policy validity as pdt's compiler enforces it, stricter-than-AWS choices
// included). Used to self-check the generator (every generated policy must be valid) and to pick the managed
// policies of the corpus that pdt must accept. Returns a list of problems; empty means valid.
const d = require('./docsem');

const OPS = new Set([
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike',
  'StringNotLike', 'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals',
  'NumericGreaterThan', 'NumericGreaterThanEquals', 'DateEquals', 'DateNotEquals', 'DateLessThan',
  'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals', 'Bool', 'BinaryEquals', 'IpAddress',
  'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Null',
]);

const isObj = (x) => x !== null && typeof x === 'object' && !Array.isArray(x);

/** Checks ${...} syntax of a string under 2012-10-17; returns a problem or null. */
function varSyntax(s) {
  for (let i = s.indexOf('${'); i >= 0; i = s.indexOf('${', i + 2)) {
    const end = s.indexOf('}', i + 2);
    if (end < 0) return 'unterminated ${';
    const inner = s.slice(i + 2, end);
    if (inner === '*' || inner === '?' || inner === '$') continue;
    if (!/^[^\s,{}$]+(, '[^']*')?$/.test(inner)) return `bad variable \${${inner}}`;
  }
  return null;
}

function checkCharset(v, out) {
  if (typeof v === 'string') {
    for (const ch of v) {
      const c = ch.codePointAt(0);
      if (c > 0xff || (c < 0x20 && c !== 9 && c !== 10 && c !== 13)) { out.push('character outside the policy charset'); return; }
    }
  } else if (Array.isArray(v)) v.forEach((x) => checkCharset(x, out));
  else if (isObj(v)) for (const [k, x] of Object.entries(v)) { checkCharset(k, out); checkCharset(x, out); }
}

function strList(v, what, out) {
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'string')) {
    out.push(`${what}: must be a string or a non-empty array of strings`);
    return [];
  }
  return v;
}

function checkAction(a, vars, out) {
  if (a === '*') return;
  if (vars && a.includes('${')) { out.push(`action ${a}: variable`); return; }
  const parts = a.split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) { out.push(`action ${a}: not service:name`); return; }
  if (/[*?]/.test(parts[0])) out.push(`action ${a}: wildcard in service`);
}

function checkResource(r, vars, out) {
  if (r === '*') return;
  if (vars) { const p = varSyntax(r); if (p) { out.push(`resource ${r}: ${p}`); return; } }
  if (!r.startsWith('arn:')) { out.push(`resource ${r}: not an ARN`); return; }
  const segs = d.segments(d.tokenize(r, vars));
  if (segs.length < 6) { out.push(`resource ${r}: fewer than five ':'`); return; }
  for (let i = 0; i < 3; i++) if (segs[i].some((t) => t.t === 'var')) out.push(`resource ${r}: variable in segment ${i}`);
  const svc = segs[2];
  if (svc.some((t) => t.t === 'wild')) out.push(`resource ${r}: wildcard in service`);
  if (svc.some((t) => t.t === 'lit' && /[A-Z]/.test(t.s))) out.push(`resource ${r}: upper-case service`);
  else if (svc.some((t) => t.t === 'lit' && /[^a-z0-9-]/.test(t.s))) out.push(`resource ${r}: invalid character in service`);
}

function checkConditionValue(base, v, vars, out) {
  const ty = d.typeOf(base.toLowerCase());
  const s = String(v);
  if (vars && s.includes('${')) {
    if (ty !== 'string' && ty !== 'arn') { out.push(`${base}: variable not allowed`); return; }
    const p = varSyntax(s);
    if (p) { out.push(`${base}: ${p}`); return; }
  }
  if (ty === 'numeric' && !d.parseNum(s)) out.push(`${base}: bad number ${s}`);
  if (ty === 'date' && d.parseDate(s) === null) out.push(`${base}: bad date ${s}`);
  if ((ty === 'bool' || ty === 'null') && !/^(true|false)$/.test(s)) out.push(`${base}: bad boolean ${s}`);
  if (ty === 'binary' && !d.parseB64(s)) out.push(`${base}: bad base64 ${s}`);
  if (ty === 'ip' && !d.parseCidr(s)) out.push(`${base}: bad address ${s}`);
}

function checkCondition(cond, vars, out) {
  if (!isObj(cond)) { out.push('Condition: not an object'); return; }
  for (const [op, kv] of Object.entries(cond)) {
    const m = /^(?:(ForAllValues|ForAnyValue):)?([A-Za-z]+?)(IfExists)?$/.exec(op);
    if (!m || !OPS.has(m[2])) { out.push(`unknown operator ${op}`); continue; }
    if (m[2] === 'Null' && (m[1] || m[3])) { out.push(`${op}: Null takes no prefix or IfExists`); continue; }
    if (!isObj(kv)) { out.push(`${op}: not an object`); continue; }
    const seen = new Set();
    for (const [key, vals] of Object.entries(kv)) {
      if (seen.has(key.toLowerCase())) out.push(`${op}: duplicate key ${key}`);
      seen.add(key.toLowerCase());
      if (vars && key.includes('${')) out.push(`${op}: variable in key ${key}`);
      const list = Array.isArray(vals) ? vals : [vals];
      if (list.length === 0) { out.push(`${op} ${key}: empty value list`); continue; }
      for (const v of list) {
        if (!['string', 'number', 'boolean'].includes(typeof v)) { out.push(`${op} ${key}: bad value type`); continue; }
        checkConditionValue(m[2], v, vars, out);
      }
    }
  }
}

/** Problems of one identity policy document (empty array: valid). */
function validatePolicy(doc) {
  const out = [];
  if (!isObj(doc)) return ['policy is not an object'];
  checkCharset(doc, out);
  for (const k of Object.keys(doc)) if (!['Version', 'Id', 'Statement'].includes(k)) out.push(`unknown element ${k}`);
  if (doc.Version !== undefined && doc.Version !== '2012-10-17' && doc.Version !== '2008-10-17') out.push('bad Version');
  const vars = doc.Version === '2012-10-17';
  if (doc.Statement === undefined) return [...out, 'missing Statement'];
  const stmts = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  if (stmts.length === 0) out.push('empty Statement');
  const sids = new Set();
  for (const s of stmts) {
    if (!isObj(s)) { out.push('statement is not an object'); continue; }
    for (const k of Object.keys(s)) {
      if (!['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'].includes(k)) out.push(`unknown or forbidden element ${k}`);
    }
    if (s.Sid !== undefined) {
      if (typeof s.Sid !== 'string' || !/^[A-Za-z0-9]*$/.test(s.Sid)) out.push(`bad Sid ${s.Sid}`);
      else if (sids.has(s.Sid)) out.push(`duplicate Sid ${s.Sid}`);
      sids.add(s.Sid);
    }
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') out.push('bad Effect');
    if ((s.Action === undefined) === (s.NotAction === undefined)) out.push('need exactly one of Action/NotAction');
    if ((s.Resource === undefined) === (s.NotResource === undefined)) out.push('need exactly one of Resource/NotResource');
    for (const a of strList(s.Action !== undefined ? s.Action : s.NotAction, 'Action', out)) checkAction(a, vars, out);
    for (const r of strList(s.Resource !== undefined ? s.Resource : s.NotResource, 'Resource', out)) checkResource(r, vars, out);
    if (s.Condition !== undefined) checkCondition(s.Condition, vars, out);
  }
  return out;
}

module.exports = { validatePolicy, OPS };
