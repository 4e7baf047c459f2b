'use strict';
// Deterministic generator of random identity-policy sets and requests built to collide (issue 6):
// realistic services/actions/ARNs from the shared catalog, prefix/infix/suffix wildcards and '?', NotAction and
// NotResource, ARN wildcards in each segment, every condition operator with IfExists and set prefixes,
// multi-valued / one-element / empty / missing keys, policy variables with defaults, several policies per
// principal, Deny and Allow mixed. Requests are drawn from the same small pools so that about half match.
// Every policy must be valid for pdt's compiler (iam-semantics.md §1): lib/validate.js checks it.
const { Rng } = require('./rng');
const { loadCatalog } = require('./catalog');
const docsem = require('./docsem');

function actionMatches(p, a) {
  if (p === '*') return true;
  const src = p.toLowerCase().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp('^' + src + '$').test(a.toLowerCase());
}

const FAVOURITES = ['s3', 'ec2', 'iam', 'dynamodb', 'sqs', 'sns', 'logs', 'lambda', 'kms', 'secretsmanager',
  'imagebuilder', 'cloudwatch', 'ssm', 'sts', 'rds', 'ecr', 'states', 'glue', 'athena', 'codebuild'];
const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2'];
const ACCOUNTS = ['123456789012', '111122223333'];
const NAMES = ['prod', 'dev', 'team-a', 'Team-A', 'data', 'alice', 'bob', 'home/alice/notes.txt', 'logs/2024/app.log',
  'red', 'x', 'prod-db', 'a/b/c', 'Prod', 'café', 'Ünïcode'];
const VAR_KEYS = [
  ['aws:username', ['alice', 'bob', 'Alice', '']],
  ['aws:PrincipalTag/team', ['red', 'blue', 'team-a']],
  ['aws:PrincipalTag/project', ['apollo', 'prod']],
  ['aws:RequestedRegion', REGIONS],
  ['aws:PrincipalAccount', ACCOUNTS],
];

// Global and example keys with a type and a small value pool (to collide).
const GLOBAL_KEYS = [
  { key: 'aws:username', type: 'String', pool: ['alice', 'bob', 'Alice', 'carol'] },
  { key: 'aws:PrincipalTag/team', type: 'String', pool: ['red', 'blue', 'Red', 'team-a'] },
  { key: 'aws:PrincipalTag/project', type: 'String', pool: ['apollo', 'prod', 'gemini', 'café', 'CAFÉ'] },
  { key: 'aws:ResourceTag/env', type: 'String', pool: ['dev', 'prod', 'Dev', 'test'] },
  { key: 'aws:RequestTag/owner', type: 'String', pool: ['alice', 'bob', 'red'] },
  { key: 'aws:RequestedRegion', type: 'String', pool: REGIONS },
  { key: 'aws:PrincipalAccount', type: 'String', pool: ACCOUNTS },
  { key: 'aws:TagKeys', type: 'ArrayOfString', pool: ['env', 'owner', 'team', 'secret', 'Env'] },
  { key: 'aws:CalledVia', type: 'ArrayOfString', pool: ['athena.amazonaws.com', 'cloudformation.amazonaws.com'] },
  { key: 'dynamodb:Attributes', type: 'ArrayOfString', pool: ['ID', 'Message', 'Tags', 'PostDateTime', 'UserName'] },
  { key: 'aws:SourceIp', type: 'IPAddress', pool: ['203.0.113.7', '203.0.114.1', '198.51.100.9', '10.1.2.3',
    '2001:db8:1234:5678::1', '2001:db8::abcd', '2001:DB8:1234:5678:0:0:0:9'] },
  { key: 'aws:MultiFactorAuthPresent', type: 'Bool', pool: ['true', 'false', 'TRUE'] },
  { key: 'aws:SecureTransport', type: 'Bool', pool: ['true', 'false'] },
  { key: 'aws:MultiFactorAuthAge', type: 'Numeric', pool: ['0', '300', '3600', '86400', '3600.5', '-1', '299.999'] },
  { key: 's3:max-keys', type: 'Numeric', pool: ['10', '100', '1000', '010', '100.0'] },
  { key: 'aws:CurrentTime', type: 'Date', pool: ['2024-01-01T00:00:00Z', '2025-06-30T12:00:00Z', '2020-07-01',
    '2024-01-01T01:00:00+01:00', '2030-01', '2025-06-30T12:00:00.250Z'] },
  { key: 'aws:TokenIssueTime', type: 'Date', pool: ['2024-01-01T00:00:00Z', '1704067200', '1719748800', '2024-06-30T12:00Z'] },
  { key: 'aws:SourceArn', type: 'ARN', pool: ['arn:aws:sns:us-east-1:123456789012:topic-a',
    'arn:aws:s3:::bucket-a', 'arn:aws:iam::111122223333:role/team/dev', 'arn:aws:sns:us-east-1:123456789012:apollo-alerts',
    'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/x.txt', 'not-an-arn',
    'Arn:aws:sns:us-east-1:123456789012:topic-a'] },
  { key: 'aws:PrincipalArn', type: 'ARN', pool: ['arn:aws:iam::123456789012:role/Admin', 'arn:aws:iam::123456789012:user/alice',
    'arn:aws:iam::111122223333:role/team/dev'] },
  { key: 'ex:blob', type: 'Binary', pool: ['QmluYXJ5VmFsdWVJbkJhc2U2NA==', 'T3RoZXI=', 'YWJj'] },
];

const STRING_OPS = ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase',
  'StringLike', 'StringNotLike'];
const OPS_BY_TYPE = {
  String: STRING_OPS,
  Numeric: ['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan',
    'NumericGreaterThanEquals'],
  Date: ['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals'],
  Bool: ['Bool'],
  IPAddress: ['IpAddress', 'NotIpAddress'],
  ARN: ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'StringLike', 'StringEquals'],
  Binary: ['BinaryEquals'],
};
const baseType = (t) => (t.startsWith('ArrayOf') ? t.slice(7) : t);

const IP_POLICY = ['203.0.113.0/24', '198.51.100.0/24', '2001:db8:1234:5678::/64', '0.0.0.0/0', '203.0.113.5/24',
  '10.0.0.0/8', '2001:db8::/32', '203.0.113.7', '2001:db8::abcd'];
const NUM_POLICY = ['0', '10', '300', '3600', '100', '-5', '3600.0', '299.9990', '1000'];
const DATE_POLICY = ['2024-01-01T00:00:00Z', '2025-01-01', '2020-07-01T00:00:00Z', '2024-06-30T12:00:00Z', '1704067200',
  '2030-01-01T00:00:00-05:00'];
const BAD_VALUES = { Numeric: ['abc', '1e3', '.5'], Date: ['yesterday', '2024-13-45', '2024-01-01T10Z'],
  Bool: ['yes', '1'], IPAddress: ['not-an-ip', '300.1.2.3'], Binary: ['***', 'abc'] };

function mutCase(rng, s) {
  const i = rng.int(0, Math.max(0, s.length - 1));
  const c = s[i] || '';
  const f = c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase();
  return s.slice(0, i) + f + s.slice(i + 1);
}

class Generator {
  constructor(seed) {
    this.rng = new Rng(seed);
    this.cat = loadCatalog();
    this.withRes = this.cat.serviceNames.filter((s) => this.cat.services.get(s).resourceTypes.size > 0);
  }

  instantiateArn(rng, template) {
    // a template with a placeholder in the service segment (backup's ${Vendor}) gets a real service name
    let s = template.replace(/^(arn:[^:]*:)\$\{[^}]*\}:/, '$1ec2:');
    s = s.replace('${Partition}', rng.chance(0.04) ? 'aws-cn' : 'aws');
    s = s.replace('${Region}', rng.pick(REGIONS)).replace('${Account}', rng.pick(ACCOUNTS));
    s = s.replace(/\$\{[^}]*\}/g, () => (rng.chance(0.03) ? 'x:y' : rng.pick(NAMES)));
    return s;
  }

  /** One set of policies and its requests (cases share the policies). */
  policySet(setId, nreq) {
    const rng = this.rng.fork(setId);
    const cat = this.cat;
    const nsvc = rng.wpick([[6, 1], [3, 2], [1, 3]]);
    const services = [];
    while (services.length < nsvc) {
      const s = rng.chance(0.6) ? rng.pick(FAVOURITES) : rng.pick(this.withRes);
      if (cat.services.has(s) && !services.includes(s)) services.push(s);
    }
    const focus = [];
    for (const s of services) focus.push(...rng.sample(cat.services.get(s).actions, rng.int(3, 8)));
    // resources of the focus actions
    const arns = [];
    for (const a of rng.sample(focus, 6)) {
      const svc = cat.services.get(a.service);
      for (const rt of rng.sample(a.resourceTypes, 2)) {
        const t = svc.resourceTypes.get(rt);
        if (t) arns.push(this.instantiateArn(rng, t.arn));
      }
    }
    if (arns.length === 0) arns.push(`arn:aws:${services[0]}:us-east-1:123456789012:thing/prod`);
    // context keys in play
    const keys = rng.sample(GLOBAL_KEYS, rng.int(2, 5));
    for (const s of services) {
      for (const k of rng.sample(cat.services.get(s).keys.filter((k) => !k.key.includes('${') && !/[<>]/.test(k.key)), 2)) {
        if (keys.some((x) => x.key.toLowerCase() === k.key.toLowerCase())) continue;
        const bt = baseType(k.type);
        const pool = bt === 'Bool' ? ['true', 'false'] : bt === 'Numeric' ? ['1', '5', '10', '100']
          : bt === 'ARN' ? arns.slice(0, 3) : bt === 'Date' ? DATE_POLICY.slice(0, 3) : bt === 'IPAddress' ? ['203.0.113.7']
            : ['prod', 'dev', 'alice', 'Prod', 'team-a', 'x'];
        keys.push({ key: k.key, type: k.type, pool });
      }
    }
    const env = { rng, services, focus, arns, keys };
    const npol = rng.wpick([[5, 1], [3, 2], [2, 3]]);
    const policies = [];
    for (let i = 0; i < npol; i++) policies.push(this.policy(env));
    env.policies = policies;
    const cases = [];
    for (let r = 0; r < nreq; r++) cases.push({ id: `g${setId}-${r}`, policies, request: this.request(env) });
    return cases;
  }

  policy(env) {
    const { rng } = env;
    const vars = rng.chance(0.75);
    env.vars = vars;
    // now and then a large policy, to stress bucketing and automaton budgets in the table
    const nst = rng.chance(0.04) ? rng.int(12, 40) : rng.wpick([[3, 1], [4, 2], [2, 3], [1, 4]]);
    const stmts = [];
    for (let i = 0; i < nst; i++) stmts.push(this.statement(env, i));
    const doc = {};
    if (vars) doc.Version = '2012-10-17';
    else if (rng.chance(0.6)) doc.Version = '2008-10-17';
    else if (rng.chance(0.5)) doc.Version = '2012-10-17';
    if (rng.chance(0.03)) doc.Id = 'pdt-differential';
    doc.Statement = stmts.length === 1 && rng.chance(0.3) ? stmts[0] : stmts;
    if (!vars && doc.Version !== '2012-10-17' && rng.chance(0.05)) {
      // literal ${...} text under 2008-10-17 / no Version (§1.2)
      const s = stmts[0];
      const r = s.Resource !== undefined ? 'Resource' : 'NotResource';
      const list = [].concat(s[r]).filter((x) => x !== '*' && /^arn:[^:]*:[^:]*:[^:]*:[^:]*:./.test(x));
      if (list.length) s[r] = [...[].concat(s[r]), list[0].replace(/[^:/]*$/, '${aws:username}')];
    }
    return doc;
  }

  statement(env, i) {
    const { rng } = env;
    const s = {};
    if (rng.chance(0.5)) s.Sid = 'S' + i + (rng.chance(0.3) ? 'x' + rng.int(0, 99) : '');
    s.Effect = rng.chance(0.62) ? 'Allow' : 'Deny';
    const acts = [];
    for (let n = rng.wpick([[5, 1], [3, 2], [2, 3]]); acts.length < n;) acts.push(this.actionPattern(env));
    const one = (l) => (l.length === 1 && rng.chance(0.5) ? l[0] : [...new Set(l)]);
    if (rng.chance(0.12)) s.NotAction = one(acts); else s.Action = one(acts);
    const res = [];
    for (let n = rng.wpick([[5, 1], [3, 2], [2, 3]]); res.length < n;) res.push(this.resourcePattern(env));
    if (rng.chance(0.1)) s.NotResource = one(res); else s.Resource = one(res);
    if (rng.chance(0.5)) s.Condition = this.condition(env);
    else if (rng.chance(0.02)) s.Condition = {};
    return s;
  }

  actionPattern(env) {
    const { rng } = env;
    const a = rng.pick(env.focus);
    const n = a.name;
    const k = rng.int(1, Math.max(1, n.length - 1));
    const kind = rng.wpick([[30, 'exact'], [18, 'prefix'], [8, 'infix'], [5, 'suffix'], [8, 'qmark'], [8, 'svc'],
      [2, 'star'], [4, 'case']]);
    switch (kind) {
      case 'prefix': return `${a.service}:${n.slice(0, k)}*`;
      case 'infix': { const j = rng.int(k, n.length); return `${a.service}:*${n.slice(k, Math.max(k + 1, j))}*`; }
      case 'suffix': return `${a.service}:*${n.slice(k)}`;
      case 'qmark': return `${a.service}:${n.slice(0, k - 1)}?${n.slice(k)}`;
      case 'svc': return `${a.service}:*`;
      case 'star': return '*';
      case 'case': return `${a.service}:${rng.chance(0.5) ? n.toLowerCase() : mutCase(rng, n)}`;
      default: return `${a.service}:${n}`;
    }
  }

  varText(env) {
    const { rng } = env;
    const [k] = rng.pick(VAR_KEYS.slice(0, 3));
    return rng.chance(0.3) ? `\${${k}, '${rng.pick(['red', 'alice', 'prod'])}'}` : `\${${rng.chance(0.1) ? k.toUpperCase() : k}}`;
  }

  resourcePattern(env) {
    const { rng } = env;
    if (rng.chance(0.05)) return '*';
    const arn = rng.pick(env.arns);
    const parts = arn.split(':');
    const res = parts.slice(5).join(':');
    const kind = rng.wpick([[22, 'exact'], [10, 'region'], [8, 'account'], [18, 'prefix'], [8, 'inner'], [7, 'qmark'],
      [8, 'allres'], [3, 'typeword'], [env.vars ? 10 : 0, 'var'], [env.vars ? 2 : 0, 'varregion'], [3, 'partition'],
      [3, 'svcwide'], [3, 'escape'], [2, 'multistar']]);
    const head = (p) => p.slice(0, 5).join(':');
    const cut = (s) => rng.int(0, s.length);
    switch (kind) {
      case 'region': return [parts[0], parts[1], parts[2], '*', ...parts.slice(4)].join(':');
      case 'account': return [parts[0], parts[1], parts[2], rng.chance(0.5) ? '*' : parts[3], '*', ...parts.slice(5)].join(':');
      case 'prefix': { const j = cut(res); return `${head(parts)}:${res.slice(0, j)}*`; }
      case 'inner': {
        const j = cut(res), l = rng.int(j, res.length);
        return `${head(parts)}:${res.slice(0, j)}*${res.slice(l)}`;
      }
      case 'qmark': {
        if (!res) return arn;
        const j = rng.int(0, res.length - 1);
        return `${head(parts)}:${res.slice(0, j)}?${res.slice(j + 1)}`;
      }
      case 'allres': return `${head(parts)}:*`;
      case 'typeword': {
        const m = /^([A-Za-z-]+)([/:].*)$/.exec(res);
        if (!m) return `${head(parts)}:${res}*`;
        return `${head(parts)}:${m[1].slice(0, 2)}*${m[2]}`;
      }
      case 'var': {
        const v = this.varText(env);
        const m = /^(.*[/:])?([^/:]*)$/.exec(res);
        const tail = rng.chance(0.5) ? '*' : '';
        return `${head(parts)}:${m[1] || ''}${v}${tail}`;
      }
      case 'varregion': {
        const p = parts.slice();
        if (p[3]) p[3] = '${aws:RequestedRegion}';
        if (p[4] && rng.chance(0.5)) p[4] = '${aws:PrincipalAccount}';
        return p.join(':');
      }
      case 'partition': return ['arn', '*', ...parts.slice(2)].join(':');
      case 'svcwide': return `arn:aws:${parts[2]}:*:*:*`;
      case 'multistar': {
        // several inner '*' (and '?') in the resource part: a hard case for automata and the fallback matcher
        const chars = res.split('');
        let out = '';
        for (const ch of chars) out += rng.chance(0.25) ? (rng.chance(0.8) ? '*' : '?') + ch : ch;
        return `${head(parts)}:${out}`;
      }
      case 'escape': return env.vars ? `${head(parts)}:${res}\${*}` : `${head(parts)}:${res}`;
      default: return arn;
    }
  }

  conditionValue(env, k, fullOp) {
    const { rng } = env;
    const op = fullOp.replace(/^For(All|Any)Values?:/, '').replace(/IfExists$/, '');
    const bt = baseType(k.type);
    if (op === 'Null') return rng.chance(0.5) ? 'true' : 'false';
    if (op.includes('Numeric')) return rng.chance(0.7) ? rng.pick(k.type.includes('Numeric') ? [...k.pool, ...NUM_POLICY] : NUM_POLICY).replace(/^0(\d)/, '$1') : rng.pick(NUM_POLICY);
    if (op.includes('Date')) return rng.pick(bt === 'Date' ? [...DATE_POLICY, ...k.pool.filter((x) => !/^\d+$/.test(x) || true)] : DATE_POLICY);
    if (op === 'Bool') return rng.chance(0.2) ? true : rng.pick(['true', 'false']);
    if (op.includes('IpAddress')) return rng.pick(IP_POLICY);
    if (op === 'BinaryEquals') return rng.pick(['QmluYXJ5VmFsdWVJbkJhc2U2NA==', 'T3RoZXI=', 'YWJj']);
    if (op.startsWith('Arn')) {
      const base = bt === 'ARN' ? rng.pick(k.pool.filter((x) => x.split(':').length >= 6).concat(['arn:aws:iam::123456789012:role/Admin'])) : 'arn:aws:sns:us-east-1:123456789012:topic-a';
      const p = base.split(':');
      const kind = rng.wpick([[4, 'exact'], [3, 'res'], [2, 'region'], [2, 'acct'], [env.vars ? 2 : 0, 'var'], [1, 'all']]);
      if (kind === 'res') p[5] = p.slice(5).join(':').replace(/[^/:]*$/, '*');
      if (kind === 'region') p[3] = '*';
      if (kind === 'acct') p[4] = '*';
      if (kind === 'var') { p.length = 6; p[5] = `${p[5].replace(/[^/]*$/, '')}${this.varText(env)}*`; }
      if (kind === 'all') return 'arn:*:*:*:*:*';
      if (kind === 'res') p.length = 6;
      return p.join(':');
    }
    // strings
    let v = rng.pick(k.pool);
    if (op.includes('Like')) {
      const r = rng.int(0, 3);
      if (r === 1 && v.length > 1) v = v.slice(0, rng.int(1, v.length - 1)) + '*';
      else if (r === 2 && v.length > 1) { const j = rng.int(0, v.length - 1); v = v.slice(0, j) + '?' + v.slice(j + 1); }
      else if (r === 3) v = '*' + v.slice(rng.int(0, v.length));
    }
    if (env.vars && rng.chance(0.15)) v = rng.chance(0.5) ? this.varText(env) : `${v}-${this.varText(env)}`;
    if (rng.chance(0.1)) v = mutCase(rng, v);
    return v;
  }

  condition(env) {
    const { rng } = env;
    const cond = {};
    const n = rng.wpick([[5, 1], [3, 2], [1, 3]]);
    for (let i = 0; i < n; i++) {
      const k = rng.pick(env.keys);
      const bt = baseType(k.type);
      const multi = k.type.startsWith('ArrayOf');
      let op;
      if (rng.chance(0.08)) op = 'Null';
      else {
        op = rng.pick(OPS_BY_TYPE[bt] || STRING_OPS);
        if (rng.chance(0.04)) op = rng.pick(STRING_OPS);
        if (rng.chance(multi ? 0.8 : 0.15)) op = `${rng.chance(0.5) ? 'ForAllValues' : 'ForAnyValue'}:${op}`;
        if (rng.chance(0.25)) op += 'IfExists';
      }
      cond[op] = cond[op] || {};
      const lower = Object.keys(cond[op]).map((x) => x.toLowerCase());
      if (lower.includes(k.key.toLowerCase())) continue;
      const vals = [];
      for (let m = op === 'Null' ? 1 : rng.wpick([[5, 1], [3, 2], [1, 3]]); vals.length < m;) vals.push(this.conditionValue(env, k, op));
      const key = rng.chance(0.1) ? k.key.toLowerCase() : k.key;
      const json = (v) => (typeof v === 'string' && op.includes('Numeric') && /^-?[1-9]\d{0,6}$/.test(v) && rng.chance(0.3) ? Number(v) : v);
      const uniq = [...new Set(vals)].map(json);
      cond[op][key] = uniq.length === 1 && rng.chance(0.5) ? uniq[0] : uniq;
    }
    return cond;
  }

  requestValue(env, k, fromPolicy) {
    const { rng } = env;
    const bt = baseType(k.type);
    if (rng.chance(0.03) && BAD_VALUES[bt]) return rng.pick(BAD_VALUES[bt]);
    if (fromPolicy.length && rng.chance(0.4)) {
      // collide with a policy value: instantiate its wildcards
      const v = String(rng.pick(fromPolicy));
      if (!v.includes('${')) return v.replace(/\*/g, () => rng.pick(['', 'x', 'prod'])).replace(/\?/g, 'a');
    }
    return rng.pick(k.pool);
  }

  request(env) {
    const { rng } = env;
    const cat = this.cat;
    let action;
    const ak = rng.wpick([[55, 'focus'], [25, 'service'], [10, 'othersvc'], [10, 'random']]);
    if (ak === 'focus') { const a = rng.pick(env.focus); action = `${a.service}:${a.name}`; }
    else if (ak === 'service') { const s = rng.pick(env.services); const a = rng.pick(cat.services.get(s).actions); action = `${s}:${a.name}`; }
    else {
      const s = ak === 'othersvc' ? rng.pick(FAVOURITES) : rng.pick(cat.serviceNames);
      const svc = cat.services.get(s);
      const a = rng.pick(svc.actions.length ? svc.actions : env.focus);
      action = `${s}:${a.name}`;
    }
    let resource;
    let rk = rng.wpick([[58, 'pool'], [14, 'mutate'], [10, 'star'], [18, 'other']]);
    if (rng.chance(0.45)) {
      // targeted: an action and a resource that one statement's patterns cover
      const pol = rng.pick(env.policies);
      const st = rng.pick([].concat(pol.Statement));
      if (st.Action !== undefined) {
        const pat = rng.pick([].concat(st.Action));
        env.candCache = env.candCache || new Map();
        if (!env.candCache.has(pat)) {
          const list = [];
          for (const sv of env.services) for (const a of cat.services.get(sv).actions) if (actionMatches(pat, `${sv}:${a.name}`)) list.push(`${sv}:${a.name}`);
          env.candCache.set(pat, list);
        }
        const cands = env.candCache.get(pat);
        if (cands.length) action = rng.pick(cands);
      }
      if (st.Resource !== undefined) {
        const pat = rng.pick([].concat(st.Resource));
        const vars = pol.Version === '2012-10-17';
        const cands = pat === '*' ? [] : env.arns.filter((a) => docsem.resourceMatch(pat, a, {}, vars));
        if (pat === '*') rk = 'pool';
        else if (cands.length) { resource = rng.pick(cands); rk = 'done'; }
        else if (!pat.includes('${')) { resource = pat.replace(/\*/g, () => rng.pick(['', 'x', 'prod'])).replace(/\?/g, 'a'); rk = 'done'; }
      }
    }
    if (rng.chance(0.08)) action = rng.chance(0.5) ? action.toLowerCase() : mutCase(rng, action);
    if (rk === 'pool') resource = rng.pick(env.arns);
    else if (rk === 'star') resource = '*';
    else if (rk === 'mutate') {
      const a = rng.pick(env.arns);
      const m = rng.int(0, 4);
      resource = m === 0 ? mutCase(rng, a) : m === 1 ? `${a}/${rng.pick(['x', 'é', 'café', 'ü/日本', 'a b', '%2F'])}` : m === 2 ? a.replace(/[^/:]*$/, rng.pick(NAMES))
        : m === 3 ? a.replace(/:[^:]*:[^:]*:/, ':us-east-1:123456789012:') : `${a}:extra`;
    } else if (rk === 'other') {
      const s = rng.pick(env.services);
      const rts = [...cat.services.get(s).resourceTypes.values()];
      resource = rts.length ? this.instantiateArn(rng, rng.pick(rts).arn) : rng.pick(env.arns);
    }
    if (resource !== '*' && resource.includes('*')) resource = resource.replace(/\*/g, 'x');
    // context
    const ctx = {};
    const policyVals = new Map();
    for (const p of env.policies) {
      for (const st of [].concat(p.Statement)) {
        for (const kv of Object.values(st.Condition || {})) {
          for (const [key, v] of Object.entries(kv)) {
            const l = key.toLowerCase();
            if (!policyVals.has(l)) policyVals.set(l, []);
            policyVals.get(l).push(...[].concat(v));
          }
        }
      }
    }
    const keys = [...env.keys];
    for (const [k, pool] of VAR_KEYS) if (!keys.some((x) => x.key === k)) keys.push({ key: k, type: 'String', pool });
    for (const k of keys) {
      if (rng.chance(0.3)) continue;
      const fromPolicy = policyVals.get(k.key.toLowerCase()) || [];
      const multi = k.type.startsWith('ArrayOf');
      const shape = rng.wpick(multi ? [[70, 'list'], [14, 'single'], [6, 'empty'], [4, 'emptystr'], [6, 'one']]
        : [[84, 'single'], [8, 'list'], [3, 'empty'], [5, 'emptystr']]);
      let v;
      if (shape === 'single') v = this.requestValue(env, k, fromPolicy);
      else if (shape === 'empty') v = [];
      else if (shape === 'emptystr') v = '';
      else if (shape === 'one') v = [this.requestValue(env, k, fromPolicy)];
      else {
        v = [];
        for (let n = rng.int(1, 3); v.length < n;) v.push(this.requestValue(env, k, fromPolicy));
        v = [...new Set(v)];
      }
      const name = rng.chance(0.1) ? k.key.toUpperCase() : k.key;
      ctx[name] = v;
    }
    return { action, resource, context: ctx };
  }
}

/** Generated cases: about `count` cases in sets of `perSet` requests sharing one policy set. */
function generate(seed, count, perSet) {
  const g = new Generator(seed);
  perSet = perSet || 16;
  const out = [];
  for (let set = 0; out.length < count; set++) {
    out.push(...g.policySet(set, Math.min(perSet, count - out.length)));
  }
  return out;
}

module.exports = { generate, Generator, GLOBAL_KEYS, REGIONS, ACCOUNTS, NAMES, mutCase };
