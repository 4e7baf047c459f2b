#!/usr/bin/env node
'use strict';
// Oracle CLI: reads cases as JSON Lines {"id","policies":[...],"request":{"action","resource","context"}} (file
// argument or stdin) and prints {"id","decision":"Allow|ExplicitDeny|ImplicitDeny"} or {"id","skipped":"reason"}
// per line. --deviations ID,ID,... (or "all") applies those documented deviation patches (deviations.json).
// The simulator is @cloud-copilot/iam-simulate (AGPL): a separate test tool, never linked or shipped.
const fs = require('fs');
const { evaluate } = require('./lib/oracle');
const { loadDeviations } = require('./lib/deviations');

function main(argv) {
  let file = '-', devIds = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--deviations') devIds = argv[++i];
    else if (argv[i] === '-h' || argv[i] === '--help') {
      process.stdout.write('usage: oracle.js [--deviations ID,...|all] [CASES.jsonl|-]\n'); return 0;
    } else file = argv[i];
  }
  const all = loadDeviations();
  const devs = devIds === null ? [] : devIds === 'all' ? all : devIds.split(',').map((id) => {
    const d = all.find((x) => x.id === id);
    if (!d) throw new Error('unknown deviation ' + id);
    return d;
  });
  const text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  const out = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let c;
    try { c = JSON.parse(line); } catch (e) { out.push(JSON.stringify({ id: null, skipped: 'bad JSON line' })); continue; }
    out.push(JSON.stringify({ id: c.id, ...evaluate(c, devs) }));
  }
  process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
  return 0;
}
process.exitCode = main(process.argv.slice(2));
