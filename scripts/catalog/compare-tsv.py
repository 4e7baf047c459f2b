#!/usr/bin/env python3
"""compare-tsv.py: check data/catalog/catalog.txt against the TSV view of the
same package (../shared/catalog/*.tsv by default).  Prints each difference and
exits 1 if any.  Known, intended differences: the TSV keeps resource types a
source action lists twice; catalog.txt merges them.

Usage: scripts/catalog/compare-tsv.py [CATALOG.txt [TSV_DIR]]"""
import os, sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
cat_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, 'data/catalog/catalog.txt')
tsv_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, '../shared/catalog')
LEVEL = {'L': 'List', 'R': 'Read', 'W': 'Write', 'T': 'Tagging', 'P': 'Permissions management'}

def tsv(name):
    with open(os.path.join(tsv_dir, name), encoding='utf-8') as f:
        rows = [l.rstrip('\n').split('\t') for l in f]
    return rows[1:]

def norm(s):  # a comma list as a sorted, de-duplicated tuple
    return tuple(sorted(set(x for x in s.split(',') if x), key=lambda x: (x.lower(), x)))

mine = {'svc': {}, 'act': {}, 'res': {}, 'key': {}}
svc = None
with open(cat_path, encoding='utf-8') as f:
    for line in f:
        r = line.rstrip('\n').split('\t')
        if r[0] == 'S':
            svc = r[1]; mine['svc'][svc] = r[2]
        elif r[0] == 'R':
            mine['res'][(svc, r[1])] = (r[2], norm(r[3]))
        elif r[0] == 'K':
            mine['key'][(svc, r[1])] = r[2]
        elif r[0] == 'A':
            res = norm(r[3].replace('*', ''))
            req = norm(','.join(x[:-1] for x in r[3].split(',') if x.endswith('*')))
            mine['act'][(svc, r[1])] = (LEVEL[r[2]], res, req, norm(r[4]))

theirs = {'svc': {}, 'act': {}, 'res': {}, 'key': {}}
for r in tsv('services.tsv'):
    theirs['svc'][r[0]] = r[1]
for r in tsv('actions.tsv'):
    theirs['act'][(r[0], r[1])] = (r[2], norm(r[3]), norm(r[4]), norm(r[5]))
for r in tsv('resources.tsv'):
    theirs['res'][(r[0], r[1])] = (r[2], norm(r[3]))
for r in tsv('condition-keys.tsv'):
    theirs['key'][(r[0], r[1])] = r[2]

bad = 0
for kind in ('svc', 'act', 'res', 'key'):
    a, b = mine[kind], theirs[kind]
    print(f'{kind}: catalog.txt {len(a)}, tsv {len(b)}')
    for k in sorted(set(a) | set(b)):
        if a.get(k) != b.get(k):
            bad += 1
            if bad <= 20:
                print(f'  differs {kind} {k}: catalog.txt={a.get(k)!r} tsv={b.get(k)!r}')
print(f'{bad} differences')
sys.exit(1 if bad else 0)
