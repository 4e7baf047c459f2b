'use strict';
// Predicates of the documented oracle deviations listed in ../deviations.json (same ids). Each predicate claims
// only single condition tests, single Resource/NotResource entries, or (kind "policy") rewrites one policy so the
// oracle reads it as we do. See lib/oracle.js for how claimed parts are decided.
const fs = require('fs');
const path = require('path');
const d = require('./docsem');

const arr = (x) => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

function keyVal(info) { return d.ctxGet(info.ctx, info.key); }
function elems(v) { return v === undefined ? [] : Array.isArray(v) ? v : [v]; }
function isAbsentForSet(v) { return v === undefined || v === '' || (Array.isArray(v) && v.length === 0); }

// the oracle's resource-type word ("product"): iam-simulate util.getResourceSegments
function simProduct(pattern) {
  const parts = pattern.split(':');
  if (parts.length < 6) return '';
  const [, , service, region, account] = parts;
  const res = parts.slice(5).join(':');
  if (service === 's3' && account === '' && region === '') return '';
  const slash = res.indexOf('/'), colon = res.indexOf(':');
  let split;
  if (slash !== -1 && colon !== -1) split = Math.min(slash, colon) + 1;
  else if (colon === -1) split = slash + 1;
  else split = colon + 1;
  return res.slice(0, split);
}

function colonCount(str, vars) {
  return d.segments(d.tokenize(str, vars)).length - 1;
}

const impl = {
  'plain-operator-multivalued-key': {
    claimCondition(info) {
      const o = d.parseOp(info.op);
      const v = keyVal(info);
      return !o.set && o.base !== 'null' && Array.isArray(v) && v.length > 0;
    },
  },
  'empty-list-is-absent': {
    claimCondition(info) {
      const o = d.parseOp(info.op);
      const v = keyVal(info);
      if (!(Array.isArray(v) && v.length === 0)) return false;
      return o.base === 'null' || (!o.set && (o.negated || o.ifExists));
    },
  },
  'empty-string-is-null': {
    claimCondition(info) {
      const o = d.parseOp(info.op);
      return keyVal(info) === '' && (o.base === 'null' || !!o.set);
    },
  },
  'foranyvalue-ifexists-absent-key': {
    claimCondition(info) {
      const o = d.parseOp(info.op);
      return o.set === 'ForAnyValue' && o.ifExists && isAbsentForSet(keyVal(info));
    },
  },
  'unparseable-typed-request-value': {
    claimCondition(info) {
      const o = d.parseOp(info.op);
      const ty = d.typeOf(o.base);
      const ok = { numeric: (s) => d.parseNum(s) !== null, date: (s) => d.parseDate(s) !== null,
        bool: (s) => /^(true|false)$/i.test(s), binary: (s) => d.parseB64(s) !== null,
        ip: (s) => d.parseAddr(s) !== null }[ty];
      if (!ok) return false;
      const v = keyVal(info);
      if (!o.set && Array.isArray(v)) return false;
      if (o.set && isAbsentForSet(v)) return false;
      return elems(v).some((s) => !ok(s));
    },
  },
  'date-epoch-mixed-with-iso': {
    claimCondition(info) {
      const o = d.parseOp(info.op);
      if (d.typeOf(o.base) !== 'date') return false;
      const all = [...info.values, ...elems(keyVal(info))];
      return all.some((s) => /^\d+$/.test(s)) && all.some((s) => !/^\d+$/.test(s));
    },
  },
  'numeric-beyond-double-precision': {
    claimCondition(info) {
      const o = d.parseOp(info.op);
      if (d.typeOf(o.base) !== 'numeric') return false;
      const sig = (s) => s.replace(/[^0-9]/g, '').replace(/^0+/, '').length;
      return [...info.values, ...elems(keyVal(info))].some((s) => sig(s) > 15);
    },
  },
  'ip-bare-address': {
    claimCondition(info) {
      const o = d.parseOp(info.op);
      return d.typeOf(o.base) === 'ip' && info.values.some((p) => !p.includes('/'));
    },
  },
  'ipv4-zero-prefix': {
    claimCondition(info) {
      const o = d.parseOp(info.op);
      return d.typeOf(o.base) === 'ip' && info.values.some((p) => /^\d+\.\d+\.\d+\.\d+\/0+$/.test(p));
    },
  },
  'negated-operator-unresolved-variable': {
    claimCondition(info) {
      const o = d.parseOp(info.op);
      const ty = d.typeOf(o.base);
      return info.vars && o.negated && (ty === 'string' || ty === 'arn') &&
        info.values.some((p) => d.hasUnresolvedVar(p, info.ctx, true));
    },
  },
  'arn-not-operator-non-arn-value': {
    claimCondition(info) {
      const o = d.parseOp(info.op);
      return d.typeOf(o.base) === 'arn' && o.negated &&
        elems(keyVal(info)).some((s) => (s.match(/:/g) || []).length < 5);
    },
  },
  'arn-operator-prefix-not-compared': {
    claimCondition(info) {
      const o = d.parseOp(info.op);
      return d.typeOf(o.base) === 'arn' && [...info.values, ...elems(keyVal(info))]
        .some((s) => (s.match(/:/g) || []).length >= 5 && !s.startsWith('arn:'));
    },
  },
  'arn-operator-variable-in-first-five': {
    claimCondition(info) {
      const o = d.parseOp(info.op);
      if (d.typeOf(o.base) !== 'arn' || !info.vars) return false;
      return info.values.some((p) => d.splitArn6(d.tokenize(p, true)).slice(0, 5)
        .some((comp) => comp.some((t) => t.t === 'var' && t.name.includes(':'))));
    },
  },
  'arn-case-folding-first-five': {
    claimResource(info) {
      if (info.pattern === '*' || info.resource === '*') return false;
      const upper = (s) => s.split(':').slice(0, 5).some((x) => /[A-Z]/.test(x));
      return upper(info.pattern) || upper(info.resource) || !info.resource.startsWith('arn:');
    },
  },
  'resource-type-word-wildcard': {
    claimResource(info) {
      if (info.pattern === '*') return false;
      return /[*?]|\$\{/.test(simProduct(info.pattern));
    },
  },
  'segment-wildcard-colon-count': {
    claimResource(info) {
      if (info.pattern === '*' || info.resource === '*') return false;
      const toks = d.tokenize(info.pattern, info.vars);
      if (!toks.some((t) => t.t === 'wild')) return false;
      return colonCount(info.pattern, info.vars) !== (info.resource.match(/:/g) || []).length;
    },
  },
  'resource-variable-in-region-or-account': {
    claimResource(info) {
      if (!info.vars || info.pattern === '*') return false;
      const segs = d.segments(d.tokenize(info.pattern, true));
      return segs.slice(3, 5).some((seg) => seg.some((t) => t.t === 'var'));
    },
  },
  'notresource-unresolved-variable': {
    claimResource(info) {
      return info.isNot && info.vars && d.hasUnresolvedVar(info.pattern, info.ctx, true);
    },
  },
  'variables-need-version-2012': {
    transformPolicy(doc) {
      if (!doc || doc.Version === '2012-10-17') return doc;
      const text = JSON.stringify(doc);
      if (!text.includes('${')) return doc;
      const fix = (v) => (typeof v === 'string' ? v.split('${').join('${$}{')
        : Array.isArray(v) ? v.map(fix)
          : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fix(x)])) : v);
      const out = fix(doc);
      out.Version = doc.Version;
      return out;
    },
    claimsPolicy(doc) { return !!doc && doc.Version !== '2012-10-17' && JSON.stringify(doc).includes('${'); },
  },
};

let cache = null;
/** Deviation objects: the JSON entry merged with its predicate implementation. */
function loadDeviations(file) {
  if (cache && !file) return cache;
  const json = JSON.parse(fs.readFileSync(file || path.join(__dirname, '..', 'deviations.json'), 'utf8'));
  const list = json.deviations.map((e) => {
    const fn = impl[e.id];
    if (!fn) throw new Error(`deviations.json: no predicate implemented for ${e.id}`);
    for (const f of ['predicate', 'oracle', 'ours', 'doc']) {
      if (!e[f]) throw new Error(`deviations.json: ${e.id} lacks "${f}"`);
    }
    return { ...e, ...fn };
  });
  for (const id of Object.keys(impl)) {
    if (!list.some((e) => e.id === id)) throw new Error(`lib/deviations.js: ${id} is not documented in deviations.json`);
  }
  if (!file) cache = list;
  return list;
}

module.exports = { loadDeviations, simProduct, arr };
