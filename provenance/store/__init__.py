"""The persistent index of a corpus: one SQLite file with what a scan or a check needs of
every article.

:mod:`.file` opens, checks and writes the file; :mod:`.rows` writes its key tables;
:mod:`.index` is the index a scan updates and a check reads; :mod:`.folder` keeps the index
of a corpus folder up to date, reading only the files that changed.
"""
