'use strict';
// Self-checks of the harness itself against the shared conformance files:
// - lib/docsem.js (the semantics that deviations swap in) must reproduce every case of conformance.jsonl;
// - lib/validate.js must accept every policy there and refuse every policy of conformance-invalid.jsonl;
// - the oracle may differ from conformance.jsonl only where a documented deviation explains it.
const fs = require('fs');
const path = require('path');
const d = require('./docsem');
const { validatePolicy } = require('./validate');

const arr = (x) => (Array.isArray(x) ? x : [x]);

function actionMatch(p, a) {
  if (p === '*') return true;
  const src = p.toLowerCase().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp('^' + src + '$').test(a.toLowerCase());
}

/** Whole-request decision by docsem alone (only for checking docsem; the harness never decides with it). */
function docDecision(c) {
  let allow = false, deny = false;
  const ctx = c.request.context || {};
  for (const pol of c.policies) {
    const vars = pol.Version === '2012-10-17';
    for (const s of arr(pol.Statement)) {
      const a = s.Action !== undefined ? arr(s.Action).some((p) => actionMatch(p, c.request.action))
        : !arr(s.NotAction).some((p) => actionMatch(p, c.request.action));
      const r = s.Resource !== undefined ? arr(s.Resource).some((p) => d.resourceMatch(p, c.request.resource, ctx, vars))
        : !arr(s.NotResource).some((p) => d.resourceMatch(p, c.request.resource, ctx, vars));
      const cs = [];
      for (const [op, kv] of Object.entries(s.Condition || {})) {
        for (const [k, v] of Object.entries(kv)) cs.push(d.conditionValue(op, k, arr(v), ctx, vars));
      }
      const v = d.and3([a, r, ...cs]);
      if (s.Effect === 'Deny' && v !== false) deny = true;
      if (s.Effect === 'Allow' && v === true) allow = true;
    }
  }
  return deny ? 'ExplicitDeny' : allow ? 'Allow' : 'ImplicitDeny';
}

function readJsonl(file) {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

/** Returns {lines: [...report lines], failures: [...]} */
function selfCheck(shared, evaluate, explain) {
  const lines = [], failures = [];
  const conf = path.join(shared, 'docs', 'conformance.jsonl');
  const inval = path.join(shared, 'docs', 'conformance-invalid.jsonl');
  if (!fs.existsSync(conf)) return { lines: ['self-check: conformance files absent, skipped'], failures };
  const cases = readJsonl(conf);
  let docBad = 0, oracleDiff = 0;
  for (const c of cases) {
    if (docDecision(c) !== c.expected) { docBad++; failures.push(`docsem decides conformance case ${c.id} wrongly`); }
    for (const p of c.policies) {
      const probs = validatePolicy(p);
      if (probs.length) failures.push(`validate refuses valid conformance case ${c.id}: ${probs[0]}`);
    }
    const r = evaluate(c);
    if (r.decision === c.expected) continue;
    if (r.decision && explain(c, c.expected)) { oracleDiff++; continue; }
    failures.push(`conformance case ${c.id}: oracle ${r.decision || r.skipped}, documented ${c.expected}, no deviation explains it`);
  }
  let refused = 0, ninv = 0;
  if (fs.existsSync(inval)) {
    for (const c of readJsonl(inval)) {
      ninv++;
      if (validatePolicy(c.policy).length) refused++;
      else failures.push(`validate accepts invalid conformance policy ${c.id}`);
    }
  }
  lines.push(`self-check: docsem decides ${cases.length - docBad}/${cases.length} conformance cases as documented; ` +
    `validate refuses ${refused}/${ninv} invalid policies; the oracle differs on ${oracleDiff} cases, each explained by deviations.json`);
  return { lines, failures };
}

module.exports = { selfCheck, docDecision };
