'use strict';
// Corpus cases: requests generated from single AWS managed policies (../shared/corpus/aws-managed/) using the
// policy's own action and resource patterns, its condition keys and values, and the catalog; each request is
// evaluated against that single policy. Deterministic for a seed.
const fs = require('fs');
const path = require('path');
const { Rng } = require('./rng');
const { loadCatalog, corpusDir } = require('./catalog');
const { validatePolicy } = require('./validate');
const docsem = require('./docsem');
const { REGIONS, ACCOUNTS, NAMES, mutCase } = require('./gen');

const arr = (x) => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

function actionMatches(p, a) {
  if (p === '*') return true;
  const src = p.toLowerCase().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp('^' + src + '$').test(a.toLowerCase());
}

const VAR_VALUES = { 'aws:username': 'alice', 'aws:requestedregion': 'us-east-1', 'aws:principalaccount': '123456789012',
  'aws:userid': 'AIDAEXAMPLE', 'aws:principaltag/team': 'red', 'aws:sourceaccount': '123456789012' };

/** Instantiates a pattern into a concrete string; records variable values it chose in ctx. */
function instantiate(rng, pat, ctx, vars) {
  const toks = docsem.tokenize(pat, vars);
  let s = '';
  for (const t of toks) {
    if (t.t === 'lit' || t.t === 'esc') s += t.s;
    else if (t.t === 'wild') s += t.s === '?' ? 'a' : rng.pick(['', 'x', 'prod', 'a/b']);
    else {
      const l = t.name.toLowerCase();
      const existing = docsem.ctxGet(ctx, t.name);
      const v = typeof existing === 'string' && existing ? existing : VAR_VALUES[l] || (t.def !== undefined && rng.chance(0.5) ? null : 'val1');
      if (v === null) { s += t.def; continue; }
      if (existing === undefined) ctx[t.name] = v;
      s += v;
    }
  }
  return s;
}

function catalogArn(rng, cat, service, action) {
  const svc = cat.services.get(service);
  if (!svc) return '*';
  const a = svc.actions.find((x) => x.name.toLowerCase() === action.toLowerCase());
  const rts = a && a.resourceTypes.length ? a.resourceTypes : [];
  if (!rts.length) return '*';
  const t = svc.resourceTypes.get(rng.pick(rts));
  if (!t) return '*';
  return t.arn.replace('${Partition}', 'aws').replace('${Region}', rng.pick(REGIONS)).replace('${Account}', rng.pick(ACCOUNTS))
    .replace(/\$\{[^}]*\}/g, () => rng.pick(NAMES));
}

function requestFor(rng, cat, doc) {
  const vars = doc.Version === '2012-10-17';
  const stmts = arr(doc.Statement);
  const st = rng.pick(stmts);
  const ctx = {};
  // action
  let action;
  const pats = arr(st.Action !== undefined ? st.Action : st.NotAction);
  const pat = rng.pick(pats);
  const svcName = pat === '*' ? rng.pick(cat.serviceNames) : pat.split(':')[0].toLowerCase();
  const svc = cat.services.get(svcName);
  if (st.Action !== undefined && rng.chance(0.8)) {
    if (!/[*?]/.test(pat)) action = pat;
    else {
      const cands = svc ? svc.actions.filter((a) => actionMatches(pat, `${svcName}:${a.name}`)) : [];
      action = cands.length ? `${svcName}:${rng.pick(cands).name}` : pat.replace(/\*/g, 'X').replace(/\?/g, 'a');
    }
  } else if (svc && svc.actions.length) action = `${svcName}:${rng.pick(svc.actions).name}`;
  else { const s2 = cat.services.get(rng.pick(cat.serviceNames)); action = `${s2.name}:${rng.pick(s2.actions).name}`; }
  if (rng.chance(0.05)) action = mutCase(rng, action);
  // resource
  let resource;
  const rpats = arr(st.Resource !== undefined ? st.Resource : st.NotResource);
  const rp = rng.pick(rpats);
  const [as, an] = action.split(':');
  if (rng.chance(0.7) && rp !== '*') resource = instantiate(rng, rp, ctx, vars);
  else if (rng.chance(0.25)) resource = '*';
  else resource = catalogArn(rng, cat, as.toLowerCase(), an);
  if (resource !== '*' && resource.includes('*')) resource = resource.replace(/\*/g, 'x');
  // context from the policy's own condition keys and values
  const keyVals = new Map();
  for (const s of stmts) {
    for (const [op, kv] of Object.entries(s.Condition || {})) {
      for (const [k, v] of Object.entries(kv)) {
        const l = k.toLowerCase();
        if (!keyVals.has(l)) keyVals.set(l, { key: k, ops: new Set(), vals: [] });
        keyVals.get(l).ops.add(op);
        keyVals.get(l).vals.push(...arr(v).map(String));
      }
    }
  }
  for (const { key, ops, vals } of keyVals.values()) {
    if (docsem.ctxGet(ctx, key) !== undefined || rng.chance(0.25)) continue;
    const setOp = [...ops].some((o) => o.startsWith('For'));
    const isNull = [...ops].every((o) => o === 'Null');
    const one = () => {
      if (isNull) return rng.pick(['x', 'true']);
      const v = rng.pick(vals);
      if (rng.chance(0.2)) return mutCase(rng, v.replace(/[*?]/g, 'x'));
      if (v.includes('${')) {
        const inst = instantiate(rng, v, ctx, vars);
        return inst;
      }
      return v.replace(/\*/g, () => rng.pick(['', 'x'])).replace(/\?/g, 'a');
    };
    let val;
    if (setOp && rng.chance(0.8)) {
      val = [];
      for (let n = rng.int(0, 3); val.length < n;) val.push(one());
    } else val = one();
    ctx[key] = val;
  }
  return { action, resource, context: ctx };
}

/** Cases from `count` managed policies (chosen by seed), `perPolicy` requests each.
 *  Returns {cases, skipped: {reason: n}}; each case carries `policyFile` (the file in the corpus). */
function corpusCases(seed, count, perPolicy) {
  const dir = corpusDir();
  const cat = loadCatalog();
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const rng = new Rng((Number(seed) ^ 0x5eed) >>> 0);
  const chosen = count >= files.length ? files : rng.sample(files, count).sort();
  const cases = [];
  const skipped = {};
  chosen.forEach((f) => {
    const file = path.join(dir, f);
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    const problems = validatePolicy(doc);
    if (problems.length) {
      const why = 'corpus policy invalid per §1: ' + problems[0].replace(/ .*/, '');
      skipped[why] = (skipped[why] || 0) + perPolicy;
      return;
    }
    const r = rng.fork(cases.length + 1);
    const name = f.replace(/\.json$/, '');
    for (let i = 0; i < perPolicy; i++) {
      cases.push({ id: `c-${name}-${i}`, policies: [doc], policyFiles: [file], request: requestFor(r, cat, doc) });
    }
  });
  return { cases, skipped };
}

module.exports = { corpusCases };
