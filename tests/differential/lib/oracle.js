'use strict';
// The oracle: @cloud-copilot/iam-simulate (AGPL-3.0; run here only as a separate test tool, never linked into or
// shipped with pdt). We call its identity-policy evaluator (CoreSimulatorEngine.analyzeIdentityPolicies) directly:
// the public runSimulation() validates the request against the catalog and rewrites the context (it drops keys
// the catalog does not list for the action and forces single/multi values by the catalog's key type), which
// would hide exactly the cases we want to compare.
//
// Calling convention (documented, not a deviation): when the request resource is "*" we pass the simulator's
// wildcardOnlyAction flag, which makes it apply iam-semantics.md §3.2's rule that the request resource "*" is
// matched only by the pattern "*". Without it the simulator treats a "*" request resource as a wildcard
// pattern to be overlapped with the policy's ARNs (its "what could this principal do" mode).
//
// Deviation patches: evaluate(c, devs) may be given deviation objects (lib/deviations.js). Conditions and
// Resource/NotResource entries that a deviation claims are decided by lib/docsem.js (our documented semantics)
// instead of by the simulator; a deviation may also rewrite a policy before the simulator reads it.
const path = require('path');

const SIM = path.join(__dirname, '..', 'node_modules', '@cloud-copilot', 'iam-simulate', 'dist', 'cjs');
const POL = path.join(__dirname, '..', 'node_modules', '@cloud-copilot', 'iam-policy', 'dist', 'cjs');
const docsem = require('./docsem');

let sim = null;
function load() {
  if (sim) return sim;
  const engine = require(path.join(SIM, 'core_engine', 'CoreSimulatorEngine.js'));
  const condition = require(path.join(SIM, 'condition', 'condition.js'));
  const resource = require(path.join(SIM, 'resource', 'resource.js'));
  const { AwsRequestImpl } = require(path.join(SIM, 'request', 'request.js'));
  const { RequestContextImpl } = require(path.join(SIM, 'requestContext.js'));
  const { DiscoveryContextKeyConstraints } = require(path.join(SIM, 'context_keys', 'discoveryContextKeyConstraints.js'));
  const { loadPolicy } = require(path.join(POL, 'index.js'));
  sim = { engine, condition, resource, AwsRequestImpl, RequestContextImpl, DiscoveryContextKeyConstraints, loadPolicy,
    origConditions: condition.requestMatchesConditions, origResources: resource.requestMatchesStatementResources };

  // Patch points. The engine calls these through the module objects at call time, so replacing the exported
  // properties takes effect; with no active deviation the wrappers call the originals unchanged.
  condition.requestMatchesConditions = function (request, conditions, effect, params) {
    const act = active;
    if (!act || !act.devs.some((d) => d.claimCondition)) return sim.origConditions(request, conditions, effect, params);
    let all = true;
    for (const c of conditions) {
      const info = { op: c.operation().value(), key: c.conditionKey(), values: c.conditionValues(),
        ctx: act.ctx, vars: act.vars, effect };
      let v;
      if (act.devs.some((d) => d.claimCondition && d.claimCondition(info))) {
        const dv = docsem.conditionValue(info.op, info.key, info.values, act.ctx, act.vars);
        v = dv === docsem.INDET ? String(effect).toLowerCase() === 'deny' : dv;
        act.claimed++;
      } else v = sim.condition.singleConditionMatchesRequest(request, c, params).matches;
      if (!v) all = false;
    }
    return { matches: all ? 'Match' : 'NoMatch', details: {}, ignoredConditions: undefined };
  };
  resource.requestMatchesStatementResources = function (request, statement, policyType) {
    const act = active;
    if (!act || !act.devs.some((d) => d.claimResource)) return sim.origResources(request, statement, policyType);
    const isNot = statement.isNotResourceStatement();
    if (!isNot && !statement.isResourceStatement()) return sim.origResources(request, statement, policyType);
    const entries = isNot ? statement.notResources() : statement.resources();
    const effect = statement.effect();
    const res = act.resource;
    const vals = entries.map((e) => {
      const info = { pattern: e.value(), resource: res, isNot, effect, ctx: act.ctx, vars: act.vars };
      if (act.devs.some((d) => d.claimResource && d.claimResource(info))) {
        act.claimed++;
        const m = docsem.resourceMatch(e.value(), res, act.ctx, act.vars);
        return isNot ? !m : m;
      }
      return isNot
        ? sim.resource.requestMatchesNotResources(request, [e], 'NotResource', effect, policyType).matches
        : sim.resource.requestMatchesResources(request, [e], 'Resource', effect, policyType).matches;
    });
    return { matches: isNot ? vals.every(Boolean) : vals.some(Boolean), details: {} };
  };
  return sim;
}

let active = null;

/** Decides one case {policies, request:{action, resource, context}}. devs: deviation objects to apply.
 *  Returns {decision} or {skipped: reason}. With devs, also {claimed: n} (entries decided by docsem). */
function evaluate(c, devs) {
  const s = load();
  devs = devs || [];
  const req = c.request;
  const ctx = req.context || {};
  let deny = false, allow = false;
  const state = { devs, ctx, resource: req.resource, vars: false, claimed: 0 };
  try {
    const params = { simulationMode: 'Strict', discoveryContextKeyConstraints: new s.DiscoveryContextKeyConstraints([]) };
    const request = new s.AwsRequestImpl('arn:aws:iam::123456789012:user/pdt-differential',
      { resource: req.resource, accountId: '123456789012' }, req.action, new s.RequestContextImpl(ctx),
      req.resource === '*');
    c.policies.forEach((doc, i) => {
      for (const d of devs) {
        if (!d.transformPolicy) continue;
        const nd = d.transformPolicy(doc);
        if (nd !== doc) state.claimed++;
        doc = nd;
      }
      const pol = s.loadPolicy(doc, { name: 'p' + i });
      state.vars = doc && doc.Version === '2012-10-17';
      active = state;
      try {
        const a = s.engine.analyzeIdentityPolicies([pol], request, params, 'identity');
        if (a.result === 'ExplicitlyDenied') deny = true;
        else if (a.result === 'Allowed') allow = true;
      } finally { active = null; }
    });
  } catch (e) {
    return { skipped: 'simulator error: ' + String(e && e.message ? e.message : e).split('\n')[0].slice(0, 100) };
  }
  const out = { decision: deny ? 'ExplicitDeny' : allow ? 'Allow' : 'ImplicitDeny' };
  if (devs.length) out.claimed = state.claimed;
  return out;
}

module.exports = { evaluate };
