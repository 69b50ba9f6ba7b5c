"""Which pairs of articles are worth judging, found without comparing every pair.

A first pass surveys every article once (:mod:`.survey`): its MinHash signature
(:mod:`.minhash`), containment samples and rare words. Articles sharing a key fall in one
bucket (:mod:`.buckets`: LSH bands, samples, rare words), and the pairs those buckets propose
are pruned to each article's few best source candidates (:mod:`.pairs`).
"""
