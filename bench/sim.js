#!/usr/bin/env node
'use strict';
// bench/sim.js - the simulator side of the benchmarks: the same policies and requests as the pdt rows, decided by
// @cloud-copilot/iam-simulate in process (the install of scripts/setup-differential, tests/differential/node_modules).
// Calls the simulator's identity-policy evaluator (CoreSimulatorEngine.analyzeIdentityPolicies) the way the
// differential oracle does (tests/differential/lib/oracle.js), but with all of a row's policies in one call, the
// policies parsed once and the request objects built once, so only deciding is timed (as on the pdt side, where
// requests are parsed before timing).  A request resource "*" sets the simulator's wildcard-only flag (the oracle's
// documented calling convention).  Decision: any ExplicitlyDenied -> ExplicitDeny, else Allowed -> Allow.
//
// usage: node bench/sim.js --root REPO --out OUT_DIR [--seconds S] [--cap C] [--rows a,b,...]
// For each row of OUT_DIR/rows.json writes NAME.sim.dec (one decision a line, file order, as far as decided) and
// NAME.sim.json.  Pass 1 (untimed warm-up) decides the requests in file order until all are decided or C seconds
// (default 8) have passed: the simulator takes up to a second per decision on the large rows, so those decide (and
// cross-check) only a prefix of their requests; NAME.sim.json says how many ("decided").  Pass 2 times batches of
// the decided requests in a shuffled order (BATCH requests, about 2 ms or more, timed in process CPU time with
// process.cpuUsage(), like the pdt side's thread CPU time, and divided by BATCH) until S seconds (default 1.5) and
// at least 50 requests were timed, every request was timed twice, or C seconds have passed.  The median and p99
// are over the batch samples; decisions/s is timed decisions over their CPU time (wall_decisions_per_s: wall time).
const fs = require('fs');
const path = require('path');

function parseArgs(argv) {
  const a = { seconds: 1.5, cap: 8, rows: null };
  for (let i = 0; i < argv.length; i += 2) a[argv[i].replace(/^--/, '')] = argv[i + 1];
  if (!a.root || !a.out) throw new Error('sim.js: missing --root or --out');
  a.seconds = Number(a.seconds);
  a.cap = Number(a.cap);
  if (a.rows) a.rows = a.rows.split(',');
  return a;
}

function loadSimulator(root) {
  const nm = path.join(root, 'tests', 'differential', 'node_modules', '@cloud-copilot');
  const sim = path.join(nm, 'iam-simulate', 'dist', 'cjs');
  const pol = path.join(nm, 'iam-policy', 'dist', 'cjs');
  if (!fs.existsSync(sim)) {
    throw new Error('sim.js: ' + sim + ' is missing: run scripts/setup (scripts/setup-differential) first');
  }
  return {
    engine: require(path.join(sim, 'core_engine', 'CoreSimulatorEngine.js')),
    AwsRequestImpl: require(path.join(sim, 'request', 'request.js')).AwsRequestImpl,
    RequestContextImpl: require(path.join(sim, 'requestContext.js')).RequestContextImpl,
    DiscoveryContextKeyConstraints:
      require(path.join(sim, 'context_keys', 'discoveryContextKeyConstraints.js')).DiscoveryContextKeyConstraints,
    loadPolicy: require(path.join(pol, 'index.js')).loadPolicy,
    version: JSON.parse(fs.readFileSync(path.join(nm, 'iam-simulate', 'package.json'), 'utf8')).version,
  };
}

const dec = (s) => s.replace(/%([0-9A-Fa-f]{2})/g, (m, h) => String.fromCharCode(parseInt(h, 16)));

// The tab-separated request lines of examples/agent/reqline.h -> {action, resource, context}.
function parseRequests(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (!line || line[0] === '#') continue;
    const f = line.split('\t');
    const context = {};
    for (const kv of f.slice(2)) {
      const eq = kv.indexOf('=');
      let key = kv.slice(0, eq);
      const val = kv.slice(eq + 1);
      if (key.endsWith('[]')) {
        key = key.slice(0, -2);
        context[dec(key)] = val === '' ? [] : val.split(',').map(dec);
      } else context[dec(key)] = dec(val);
    }
    out.push({ action: dec(f[0]), resource: dec(f[1]), context });
  }
  return out;
}

function decide(s, pols, req, params) {
  const a = s.engine.analyzeIdentityPolicies(pols, req, params, 'identity');
  return a.result === 'ExplicitlyDenied' ? 'ExplicitDeny' : a.result === 'Allowed' ? 'Allow' : 'ImplicitDeny';
}

function benchRow(s, a, row) {
  const files = fs.readFileSync(path.join(a.out, row.name + '.policies'), 'utf8').split('\n').filter(Boolean);
  const pols = files.map((f, i) => s.loadPolicy(JSON.parse(fs.readFileSync(f, 'utf8')), { name: 'p' + i }));
  const reqs = parseRequests(fs.readFileSync(path.join(a.out, row.requests), 'utf8')).map((q) =>
    new s.AwsRequestImpl('arn:aws:iam::123456789012:user/pdt-bench', { resource: q.resource, accountId: '123456789012' },
      q.action, new s.RequestContextImpl(q.context), q.resource === '*'));
  const params = { simulationMode: 'Strict', discoveryContextKeyConstraints: new s.DiscoveryContextKeyConstraints([]) };
  const counts = { Allow: 0, ExplicitDeny: 0, ImplicitDeny: 0 };
  const decisions = [];
  let errors = 0;
  const one = (q) => {
    let d;
    try { d = decide(s, pols, q, params); } catch (e) { errors++; d = 'Error'; }
    if (d !== 'Error') counts[d]++;
    decisions.push(d);
  };
  // pass 1 (untimed; warms the JIT and the simulator's lazily loaded catalog data): the decisions, in file order,
  // until all are decided or the cap is reached (at least 3)
  const cap = BigInt(Math.round(a.cap * 1e9));
  const start = process.hrtime.bigint();
  for (let i = 0; i < reqs.length && (i < 3 || process.hrtime.bigint() - start < cap); i++) one(reqs[i]);
  const pass1 = Number(process.hrtime.bigint() - start) / decisions.length;
  fs.writeFileSync(path.join(a.out, row.name + '.sim.dec'), decisions.join('\n') + '\n');

  // pass 2 (timed): batches over the decided requests in a shuffled order, each batch about 1 ms or more
  const order = reqs.slice(0, decisions.length).filter((q, i) => decisions[i] !== 'Error');
  for (let i = order.length - 1; i > 0; i--) { // fixed-seed shuffle (multiplicative hash)
    const j = (i * 2654435761 + 12345) % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const batch = Math.max(1, Math.min(64, Math.ceil(2e6 / pass1)));
  const budget = a.seconds * 1e9, capNs = a.cap * 1e9;
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) * 1000; };
  const samples = [];
  let spent = 0, total = 0, pos = 0;
  const wall0 = process.hrtime.bigint();
  while (order.length && total < 2 * order.length && spent < capNs &&
         (spent < budget || total < Math.min(order.length, 50))) {
    const t0 = cpu();
    for (let k = 0; k < batch; k++) {
      decide(s, pols, order[pos], params);
      pos = pos + 1 === order.length ? 0 : pos + 1;
    }
    const el = cpu() - t0;
    samples.push(el / batch);
    spent += el;
    total += batch;
  }
  const wall = Number(process.hrtime.bigint() - wall0);
  samples.sort((x, y) => x - y);
  const q = (p) => (samples.length ? samples[Math.floor((samples.length - 1) * p)] : null);
  const mean = total ? spent / total : null;
  const res = { row: row.name, simulator: '@cloud-copilot/iam-simulate ' + s.version, requests: reqs.length,
    decided: decisions.length, first_pass_mean_ns: pass1,
    allow: counts.Allow, explicit_deny: counts.ExplicitDeny, implicit_deny: counts.ImplicitDeny, errors, batch,
    batches: samples.length, decisions: total, min_ns: q(0), median_ns: q(0.5), p99_ns: q(0.99), mean_ns: mean,
    decisions_per_s: mean ? 1e9 / mean : null, wall_decisions_per_s: total ? total / (wall / 1e9) : null };
  fs.writeFileSync(path.join(a.out, row.name + '.sim.json'), JSON.stringify(res) + '\n');
  return res;
}

function main() {
  const a = parseArgs(process.argv.slice(2));
  const s = loadSimulator(path.resolve(a.root));
  const rows = JSON.parse(fs.readFileSync(path.join(a.out, 'rows.json'), 'utf8'));
  for (const row of rows) {
    if (a.rows && !a.rows.includes(row.name)) continue;
    const t0 = Date.now();
    const r = benchRow(s, a, row);
    process.stderr.write(`sim.js: ${row.name}: median ${r.median_ns === null ? '-' : r.median_ns.toFixed(0)} ns, ` +
      `${r.allow}/${r.explicit_deny}/${r.implicit_deny} allow/deny/implicit, ${r.errors} errors ` +
      `(${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
  }
}

main();
