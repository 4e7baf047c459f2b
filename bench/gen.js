#!/usr/bin/env node
'use strict';
// bench/gen.js - makes the benchmark rows: which policies each table holds and the requests each row decides.
// Deterministic (seeded): the same inputs give the same files.  Reads the shared corpus and catalog in place.
//
// usage: node bench/gen.js --root REPO --shared SHARED_DIR --out OUT_DIR [--requests N] [--seed S]
//
// Writes into OUT_DIR:
//   rows.json         [{name, label, kind, npolicies, minified_bytes, requests: "NAME.tsv", nrequests}]
//   rows.txt          the row names, one a line (for bench/run)
//   NAME.policies     the row's policy files, one a line, in table order
//   NAME.tsv          the row's requests in the tab-separated form of examples/agent/reqline.h, shuffled
//
// Rows:
//   imagebuilder  examples/imagebuilder's full-access policy and custom policy (its iam:PassRole is conditioned on
//                 iam:PassedToService) and a Deny policy (bench/policies/imagebuilder-deny.json); the requests are
//                 allowed, explicitly denied and unmatched, one in ten a conditioned iam:PassRole
//   cond20        one statement with 20 condition clauses (bench/policies/cond20.json)
//   scale-1 ... scale-1000, corpus   the first 1, 10, 100, 1000 and all AWS managed policies of a seeded shuffle,
//                 leaving out the guardrails that deny (nearly) everything (excluded.txt lists them)
//   corpus-all    every managed policy (1,594), with the corpus row's requests: all explicitly denied
// Requests of the policy rows: 60% made to match a statement of the row (its action and resource patterns made
// concrete, its conditions satisfied where the operator allows it; one in ten of these from a Deny statement when
// the row has one), 40% drawn from the catalog (a random action and an ARN of one of its resource types).
const fs = require('fs');
const path = require('path');

function parseArgs(argv) {
  const a = { requests: 2000, seed: 20261129 };
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i].replace(/^--/, '');
    a[k] = argv[i + 1];
  }
  for (const k of ['root', 'shared', 'out']) if (!a[k]) throw new Error('gen.js: missing --' + k);
  a.requests = Number(a.requests);
  a.seed = Number(a.seed);
  return a;
}

function rng(seed) { // mulberry32
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (n) => Math.floor(next() * n);
  next.pick = (arr) => arr[Math.floor(next() * arr.length)];
  next.shuffle = (arr) => {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [arr[i], arr[j]] = [arr[j], arr[i]];
    }
    return arr;
  };
  return next;
}

// ---- the catalog ---------------------------------------------------------------------------------------------
function readTsv(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length);
  const head = lines.shift().split('\t');
  return lines.map((l) => {
    const f = l.split('\t');
    const o = {};
    head.forEach((h, i) => { o[h] = f[i] || ''; });
    return o;
  });
}

function loadCatalog(shared) {
  const actions = readTsv(path.join(shared, 'catalog', 'actions.tsv'));
  const resources = readTsv(path.join(shared, 'catalog', 'resources.tsv'));
  const arn = new Map(); // "svc/type" -> arn pattern
  for (const r of resources) arn.set(r.service + '/' + r.resource_type, r.arn_pattern);
  const bySvc = new Map();
  for (const a of actions) {
    a.name = a.service + ':' + a.action;
    a.types = a.resource_types ? a.resource_types.split(',') : [];
    if (!bySvc.has(a.service)) bySvc.set(a.service, []);
    bySvc.get(a.service).push(a);
  }
  return { actions, arn, bySvc };
}

// A concrete ARN for one of the action's resource types ("*" when it has none).
function catalogArn(cat, action, r) {
  if (!action.types.length) return '*';
  const pat = cat.arn.get(action.service + '/' + r.pick(action.types));
  if (!pat) return '*';
  return pat.replace(/\$\{([A-Za-z0-9]+)\}/g, (m, name) => {
    if (name === 'Partition') return 'aws';
    if (name === 'Region') return r.pick(['us-east-1', 'eu-west-1', 'ap-southeast-2']);
    if (name === 'Account') return '123456789012';
    return 'bench-' + name.toLowerCase() + '-' + r.int(100);
  }).replace(/\*/g, 'bench');
}

function catalogRequest(cat, r, services) {
  const pool = services ? services.flatMap((s) => cat.bySvc.get(s) || []) : cat.actions;
  const a = r.pick(pool);
  return { action: a.name, resource: catalogArn(cat, a, r), ctx: new Map() };
}

// ---- making a statement match ----------------------------------------------------------------------------------
const arr = (v) => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

function ctxSet(ctx, key, value) { ctx.set(key.toLowerCase(), { key, value }); }
function ctxGet(ctx, key) { const e = ctx.get(key.toLowerCase()); return e ? e.value : undefined; }

function varValue(ctx, key) {
  const v = ctxGet(ctx, key);
  if (typeof v === 'string') return v;
  const k = key.toLowerCase();
  const val = k === 'aws:principalaccount' || k === 'aws:resourceaccount' ? '123456789012'
    : k === 'aws:userid' ? 'AIDABENCHEXAMPLE:bench-user' : k === 'aws:username' ? 'bench-user' : 'bench';
  ctxSet(ctx, key, val);
  return val;
}

// Makes a pattern concrete: ${key} and ${key, 'default'} from ctx (set when absent), ${*} ${?} ${$} literal;
// with wild, '*' and '?' become text (a whole '*' ARN region/account segment becomes a real one).
function concrete(pattern, ctx, wild, vars) {
  let out = '';
  for (let i = 0; i < pattern.length;) {
    if (vars && pattern.startsWith('${', i)) {
      const end = pattern.indexOf('}', i);
      if (end > 0) {
        const body = pattern.slice(i + 2, end).trim();
        if (body === '*' || body === '?' || body === '$') out += body;
        else out += varValue(ctx, body.split(',')[0].trim());
        i = end + 1;
        continue;
      }
    }
    const c = pattern[i++];
    if (wild && c === '*') out += 'bench';
    else if (wild && c === '?') out += 'x';
    else out += c;
  }
  return out;
}

function concreteArn(pattern, ctx, vars) {
  const seg = pattern.split(':');
  if (seg.length >= 6 && seg[0] === 'arn') {
    if (seg[3] === '*') seg[3] = 'us-east-1';
    if (seg[4] === '*') seg[4] = '123456789012';
  }
  return concrete(seg.join(':'), ctx, true, vars);
}

const NEG = /^(StringNot|ArnNot|NotIpAddress)/;
function satisfy(cond, ctx, vars) {
  for (const [opFull, block] of Object.entries(cond || {})) {
    const m = /^(ForAllValues:|ForAnyValue:)?(.*?)(IfExists)?$/.exec(opFull);
    const set = !!m[1], op = m[2];
    for (const [key, vals0] of Object.entries(block)) {
      const vals = arr(vals0).map(String);
      let v;
      if (op === 'Null') {
        if (vals[0] === 'true') { ctx.delete(key.toLowerCase()); continue; }
        if (ctxGet(ctx, key) !== undefined) continue;
        v = 'bench';
      } else if (NEG.test(op)) { // a value none of the policy's values matches; its variables get values too
        vals.forEach((x) => concrete(x, ctx, false, vars));
        v = op === 'NotIpAddress' ? '203.0.113.7' : op.startsWith('Arn') ? 'arn:aws:iam::123456789012:role/bench-other'
          : 'bench-other-value';
      }
      else if (op === 'Bool') v = vals[0];
      else if (op.startsWith('Numeric')) {
        const n = Number(vals[0]);
        v = String(/LessThan$/.test(op) ? n - 1 : /GreaterThan$/.test(op) || op === 'NumericNotEquals' ? n + 1 : n);
      } else if (op.startsWith('Date')) {
        v = /LessThan/.test(op) ? '2000-01-01T00:00:00Z' : /GreaterThan/.test(op) ? '2099-01-01T00:00:00Z' : vals[0];
      } else if (op === 'IpAddress') v = vals[0].split('/')[0];
      else if (op.startsWith('Arn')) v = concreteArn(vals[0], ctx, vars);
      else v = concrete(vals[0], ctx, /Like/.test(op), vars);
      ctxSet(ctx, key, set ? [v] : v);
    }
  }
}

function actionRegex(p) {
  return new RegExp('^' + p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i');
}

// A request meant to match statement st (action and resource patterns made concrete, conditions satisfied).
function patternRequest(cat, r, st, vars) {
  const ctx = new Map();
  let action;
  const ap = r.pick(arr(st.Action));
  if (ap === '*') action = r.pick(cat.actions).name;
  else if (/[*?]/.test(ap)) {
    const svc = ap.split(':')[0].toLowerCase(), re = actionRegex(ap);
    const hits = (cat.bySvc.get(svc) || []).filter((a) => re.test(a.name));
    action = hits.length ? r.pick(hits).name : ap.replace(/\*/g, 'Bench').replace(/\?/g, 'X');
  } else action = ap;
  let resource;
  const rp = r.pick(arr(st.Resource));
  if (rp === '*') {
    const [svc, name] = action.split(':');
    const a = (cat.bySvc.get(svc.toLowerCase()) || []).find((x) => x.action.toLowerCase() === (name || '').toLowerCase());
    resource = a ? catalogArn(cat, a, r) : '*';
  } else resource = concreteArn(rp, ctx, vars);
  satisfy(st.Condition, ctx, vars);
  return { action, resource, ctx };
}

function statements(doc) { return arr(doc.Statement); }

// n requests for the policies docs (60% pattern-made, 40% catalog), shuffled.
function policyRequests(cat, r, docs, n, services) {
  const all = [], deny = [];
  for (const d of docs) {
    for (const st of statements(d)) {
      if (!st.Action || !st.Resource) continue; // NotAction/NotResource: the catalog requests reach them
      const e = { st, vars: d.Version === '2012-10-17' };
      all.push(e);
      if (st.Effect === 'Deny') deny.push(e);
    }
  }
  const out = [];
  for (let i = 0; i < n; i++) {
    if (r() < 0.6 && all.length) {
      const e = deny.length && r() < 0.1 ? r.pick(deny) : r.pick(all);
      out.push(patternRequest(cat, r, e.st, e.vars));
    } else out.push(catalogRequest(cat, r, services));
  }
  return r.shuffle(out);
}

// Conditioned iam:PassRole requests for the Image Builder row: roles the policies name or not, passed to the
// service the condition wants, to another one, or with the key missing.
function passRoleRequests(r, n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const ctx = new Map();
    const svc = r.pick(['ec2.amazonaws.com', 'ec2.amazonaws.com', 'imagebuilder.amazonaws.com', 'lambda.amazonaws.com', null]);
    if (svc) ctxSet(ctx, 'iam:PassedToService', svc);
    const role = r.pick(['role/ImageBuilderBuildInstanceRole', 'role/nightly-imagebuilder-role',
      'instance-profile/team-imagebuilder-profile', 'role/AdminRole']);
    out.push({ action: 'iam:PassRole', resource: 'arn:aws:iam::123456789012:' + role, ctx });
  }
  return out;
}

// ---- the 20-clause row ----------------------------------------------------------------------------------------
function cond20Requests(r, n) {
  const good = () => new Map(Object.entries({
    'aws:PrincipalTag/team': 'platform', 'aws:SourceVpce': 'vpce-1a2b3c4d', 'aws:PrincipalTag/dept': 'engineering',
    'aws:userid': 'AIDAEXAMPLE:bench-' + r.pick(['alice', 'bob', 'carol']), 's3:prefix': 'home/alice/',
    'aws:PrincipalTag/status': 'active', 'aws:UserAgent': 'aws-cli/2.15.0', 'aws:RequestedRegion': 'us-east-1',
    's3:max-keys': String(1 + r.int(1000)), 'aws:MultiFactorAuthAge': String(r.int(3600)),
    'aws:CurrentTime': '2026-11-29T10:00:00Z', 'aws:SecureTransport': 'true', 'aws:MultiFactorAuthPresent': 'true',
    'aws:SourceIp': r.pick(['10.1.2.3', '192.168.7.9', '2001:db8::1']),
    'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/bench-reader', 'aws:TagKeys': ['project', 'cost-center'],
    'aws:TokenIssueTime': '2026-11-29T09:00:00Z',
  }).map(([k, v]) => [k.toLowerCase(), { key: k, value: v }]));
  const breaks = [
    ['aws:PrincipalTag/team', 'other'], ['aws:SourceVpce', 'vpce-00000000'], ['aws:PrincipalTag/dept', 'Sales'],
    ['aws:userid', 'AROAEXAMPLE:someone'], ['s3:prefix', 'private/'], ['aws:PrincipalTag/status', 'suspended'],
    ['aws:UserAgent', 'curl/8.5.0'], ['aws:RequestedRegion', 'ap-south-1'], ['s3:max-keys', '5000'],
    ['aws:MultiFactorAuthAge', '7200'], ['aws:CurrentTime', '2019-06-01T00:00:00Z'], ['aws:SecureTransport', 'false'],
    ['aws:MultiFactorAuthPresent', 'false'], ['aws:SourceIp', '172.16.0.1'], ['aws:SourceIp', '10.66.1.1'],
    ['aws:PrincipalArn', 'arn:aws:iam::123456789012:role/other'], ['aws:TagKeys', ['owner']],
    ['aws:TagKeys', ['project', 'secret']], ['aws:TokenIssueTime', null], ['aws:PrincipalTag/team', null],
  ];
  const out = [];
  for (let i = 0; i < n; i++) {
    const ctx = good(), u = r();
    let action = r.pick(['s3:GetObject', 's3:GetObject', 's3:ListBucket']);
    let resource = action === 's3:ListBucket' ? 'arn:aws:s3:::bench-bucket'
      : 'arn:aws:s3:::bench-bucket/home/alice/file-' + r.int(10000) + '.txt';
    if (u < 0.1) action = r.pick(['s3:PutObject', 's3:DeleteObject']);
    else if (u < 0.45) {
      const [k, v] = r.pick(breaks);
      if (v === null) ctx.delete(k.toLowerCase());
      else ctxSet(ctx, k, v);
    }
    out.push({ action, resource, ctx });
  }
  return r.shuffle(out);
}

// ---- output ---------------------------------------------------------------------------------------------------
const esc = (s) => String(s).replace(/[%\t\n\r,=]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));

function tsvLine(q) {
  const f = [esc(q.action), esc(q.resource)];
  for (const { key, value } of q.ctx.values()) {
    if (Array.isArray(value)) f.push(esc(key) + '[]=' + value.map(esc).join(','));
    else f.push(esc(key) + '=' + esc(value));
  }
  return f.join('\t');
}

function minifiedBytes(files) {
  let n = 0;
  for (const f of files) n += Buffer.byteLength(JSON.stringify(JSON.parse(fs.readFileSync(f, 'utf8'))));
  return n;
}

// The Image Builder example policies of examples/imagebuilder/ (the AWS page's full-access and custom policies).
function imagebuilderPolicies(root) {
  const dir = path.join(root, 'examples', 'imagebuilder');
  const want = ['full-access.json', 'custom-policy.json'].map((f) => path.join(dir, f));
  for (const f of want) if (!fs.existsSync(f)) throw new Error('gen.js: ' + f + ' is missing');
  return want;
}

function main() {
  const a = parseArgs(process.argv.slice(2));
  a.root = path.resolve(a.root);
  a.shared = path.resolve(a.shared);
  const cat = loadCatalog(a.shared);
  // one generator per row (and one for the corpus shuffle), so that changing one row leaves the others alone
  const rowRng = (name) => rng(a.seed ^ [...name].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261));
  let r = rowRng('imagebuilder');
  fs.mkdirSync(a.out, { recursive: true });
  const rows = [];
  let excluded = [];
  const load = (f) => JSON.parse(fs.readFileSync(f, 'utf8'));
  const addRow = (name, label, kind, policies, reqs) => {
    fs.writeFileSync(path.join(a.out, name + '.policies'), policies.join('\n') + '\n');
    fs.writeFileSync(path.join(a.out, name + '.tsv'), reqs.map(tsvLine).join('\n') + '\n');
    rows.push({ name, label, kind, npolicies: policies.length, minified_bytes: minifiedBytes(policies),
      requests: name + '.tsv', nrequests: reqs.length });
  };

  const ib = [...imagebuilderPolicies(a.root), path.join(a.root, 'bench', 'policies', 'imagebuilder-deny.json')];
  addRow('imagebuilder', 'Image Builder set (full access + custom PassRole + deny)', 'fixed', ib,
    r.shuffle([...policyRequests(cat, r, ib.map(load), a.requests - Math.floor(a.requests / 10),
      ['imagebuilder', 'iam', 'ec2', 's3', 'sns', 'license-manager', 'kms']), ...passRoleRequests(r, Math.floor(a.requests / 10))]));
  r = rowRng('cond20');
  const c20 = [path.join(a.root, 'bench', 'policies', 'cond20.json')];
  addRow('cond20', 'one statement, 20 condition clauses', 'fixed', c20, cond20Requests(r, a.requests));

  const dir = path.join(a.shared, 'corpus', 'aws-managed');
  const all = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const docs = new Map(all.map((f) => [f, load(path.join(dir, f))]));
  // Guardrails that deny every action but a few (AWSDenyAll, permission boundaries, root-task policies): attached
  // together they make every decision an explicit deny, so the decision rows leave them out (the corpus-all row
  // keeps them: compile time, size and load time are measured on it).
  const denyAll = (d) => statements(d).some((st) => st.Effect === 'Deny' && !st.Condition &&
    (st.NotAction !== undefined || arr(st.Action).includes('*')));
  const names = rowRng('corpus-order').shuffle(all.filter((f) => !denyAll(docs.get(f))));
  excluded = all.filter((f) => denyAll(docs.get(f))).map((f) => f.replace(/\.json$/, ''));
  let corpusReqs = null;
  for (const n of [1, 10, 100, 1000, names.length]) {
    const files = names.slice(0, n);
    const name = n === names.length ? 'corpus' : 'scale-' + n;
    r = rowRng(name);
    const reqs = policyRequests(cat, r, files.map((f) => docs.get(f)), a.requests, null);
    if (n === names.length) corpusReqs = reqs;
    addRow(name, n === names.length ? 'managed corpus without the ' + excluded.length + ' deny-all guardrails'
      : n + ' managed ' + (n === 1 ? 'policy' : 'policies'), 'scale', files.map((f) => path.join(dir, f)), reqs);
  }
  addRow('corpus-all', 'whole managed corpus (all ' + all.length + ' policies)', 'all', all.map((f) => path.join(dir, f)),
    corpusReqs);
  fs.writeFileSync(path.join(a.out, 'excluded.txt'), excluded.join('\n') + '\n');
  fs.writeFileSync(path.join(a.out, 'rows.json'), JSON.stringify(rows, null, 1) + '\n');
  fs.writeFileSync(path.join(a.out, 'rows.txt'), rows.map((x) => x.name).join('\n') + '\n');
  process.stderr.write('gen.js: ' + rows.map((x) => x.name + ' ' + x.npolicies + 'p/' + x.nrequests + 'r').join(', ') + '\n');
}

main();
