"""clientguard.nlp: message signals (rules as data + a small statistical layer).

Entry points live in :mod:`clientguard.nlp.api` (``analyze_text``/``analyze_texts``);
they are imported lazily by :mod:`clientguard` so the CLI starts fast.
"""
