#!/usr/bin/env python3
"""Rebuild drizzle/meta/_journal.json from drizzle/NNNN_*.sql: 0000-0004 keep their whens, later N get 1796232250000 + N*10000."""
import json, os, re, sys
root = sys.argv[1] if len(sys.argv) > 1 else '.'
d = os.path.join(root, 'drizzle')
keep = {0: 1795331784792, 1: 1795332214921, 2: 1795332443607, 3: 1795337388826, 4: 1796232249295}
entries = []
for f in sorted(os.listdir(d)):
    m = re.match(r'^(\d{4})_(.+)\.sql$', f)
    if not m: continue
    n = int(m.group(1))
    entries.append({"idx": n, "version": "7", "when": keep.get(n, 1796232250000 + n * 10000), "tag": f[:-4], "breakpoints": True})
json.dump({"version": "7", "dialect": "postgresql", "entries": entries}, open(os.path.join(d, 'meta', '_journal.json'), 'w'), indent=2)
open(os.path.join(d, 'meta', '_journal.json'), 'a').write('\n')
print('\n'.join(e['tag'] for e in entries))
