"""Rendering results: tables and JSON (:mod:`.tables`), the Markdown and HTML reports
(:mod:`.markdown`, :mod:`.html`, written together by :mod:`.files`), and a check's findings
for people, programs and CI (:mod:`.check`). Everything taken from an article or a file name
is escaped for its format (:mod:`.escaping`).
"""
