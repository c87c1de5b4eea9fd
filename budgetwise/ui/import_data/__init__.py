"""The import page's sections (issue #15): ``pages/import_data.py`` is a shell over these.

``state`` holds the page's session keys and option helpers; ``upload`` the file and the last
result; ``detected``, ``columns``, ``labels``, ``rows`` and ``commit`` the preview of one file;
``history`` (with undo) and ``mappings`` the other two tabs. Widget keys (``imp_*``) are unchanged.
"""
