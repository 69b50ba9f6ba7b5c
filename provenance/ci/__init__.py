"""`provenance check`: new articles held to a policy against the indexed corpus.

:mod:`.workflow` looks each new article up in the index and judges it against its
candidates; :mod:`.policy` turns a judged pair into a finding (fail, warn or none);
:mod:`.since` finds the articles a git ref's diff adds or changes.
"""
