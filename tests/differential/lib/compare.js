'use strict';
// Explains a disagreement between the oracle and pdt by the documented deviations (deviations.json).
const { evaluate } = require('./oracle');
const { loadDeviations } = require('./deviations');

/** Returns the id of the deviation (or "a+b" combination) that explains pdt's answer, or null.
 *  A deviation explains it only if the oracle, with the parts that deviation claims decided by our documented
 *  semantics, claims at least one part and then gives exactly pdt's decision. */
function explain(c, pdtDecision) {
  // policy-level deviations first: they are the root cause when they apply
  const devs = [...loadDeviations()].sort((a, b) => (a.kind === 'policy' ? 0 : 1) - (b.kind === 'policy' ? 0 : 1));
  const claiming = [];
  for (const dv of devs) {
    const r = evaluate(c, [dv]);
    if (!r.claimed) continue;
    claiming.push(dv);
    if (r.decision === pdtDecision) return dv.id;
  }
  if (claiming.length > 1) {
    const r = evaluate(c, claiming);
    if (r.decision === pdtDecision) return claiming.map((x) => x.id).join('+');
  }
  return null;
}

module.exports = { explain };
