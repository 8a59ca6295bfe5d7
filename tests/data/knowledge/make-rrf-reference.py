#!/usr/bin/python3
"""Reference for reciprocal rank fusion (tests/test-knowledge.c /sextant/knowledge/rank/rrf).

Writes rrf-reference.json: two lists of (chunk id, score) as a vector scan and bm25() would give
them, in a shuffled order, and their fusion computed here with numpy, independently of Sextant:
each list ranked by score (higher first, equal scores by increasing id), then
score(d) = sum over lists of 1 / (k + rank), ranks from 1, k = 60 (Cormack, Clarke and Büttcher,
"Reciprocal rank fusion outperforms Condorcet and individual rank learning methods", SIGIR 2009),
the fused list ranked the same way. Run: /usr/bin/python3 make-rrf-reference.py
"""
import json
import pathlib

import numpy as np

K = 60.0
rng = np.random.default_rng(20261207)

# Cosines of 40 chunks, bm25 scores of 30, 18 chunks in both; a few ties on purpose.
semantic_ids = rng.choice(np.arange(1, 121), size=40, replace=False)
lexical_ids = np.concatenate([semantic_ids[:18], rng.choice(np.arange(121, 200), size=12, replace=False)])
semantic = np.round(rng.uniform(-0.2, 0.9, size=40), 3)
lexical = np.round(rng.gamma(2.0, 2.5, size=30), 2)
semantic[5] = semantic[6]
lexical[3] = lexical[4] = lexical[7]


def ranked(ids, scores):
    order = np.lexsort((ids, -scores))  # last key first: score descending, then id ascending
    return ids[order]


fused = {}
for ids, scores in ((semantic_ids, semantic), (lexical_ids, lexical)):
    for rank, chunk in enumerate(ranked(ids, scores), start=1):
        fused[int(chunk)] = fused.get(int(chunk), 0.0) + 1.0 / (K + rank)
fused_ids = np.array(list(fused.keys()))
fused_scores = np.array([fused[i] for i in fused_ids])
order = np.lexsort((fused_ids, -fused_scores))

out = {
    "k": K,
    "lists": [
        [[int(i), float(s)] for i, s in zip(semantic_ids, semantic)],
        [[int(i), float(s)] for i, s in zip(lexical_ids, lexical)],
    ],
    "fused": [[int(fused_ids[i]), float(fused_scores[i])] for i in order],
}
path = pathlib.Path(__file__).with_name("rrf-reference.json")
path.write_text(json.dumps(out, indent=1) + "\n")
print(f"wrote {path} ({len(out['fused'])} fused ids)")
