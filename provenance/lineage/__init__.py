"""Where each article's text came from, over the whole corpus.

A scan's judged pairs are kept on disk as they are judged (:mod:`.judged`); :mod:`.infer`
reads them with each article's credits into lineage: each article's source, common sources
not in the corpus, and the stories they group into.
"""
