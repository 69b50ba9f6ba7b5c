"""Reading articles and making their text comparable.

Folders of text files and JSON-lines feeds are read into :class:`~provenance.model.Article`
values (:mod:`.corpus`, :mod:`.folders`), kept in little memory (:mod:`.articles`), their page
furniture blanked (:mod:`.furniture`), and each read once into a
:class:`~provenance.text.document.Document`: normalised words with offsets into the original
(:mod:`.normalize`, :mod:`.words`), sentences (:mod:`.sentences`) and the terms that sentence
similarity weighs (:mod:`.terms`). Everything after this stage works on documents.
"""
