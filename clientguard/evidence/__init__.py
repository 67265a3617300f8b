"""The tamper-evident evidence log: a per-client SHA-256 hash chain over the store's records.

Modules (imported directly; nothing is re-exported, so the import hook stays cheap):

* :mod:`.chain` — canonical JSON, record hashes, streaming verification (pure);
* :mod:`.log` — appending: the store's ``after_import`` hook, :func:`~.log.append`,
  :func:`~.log.sync` for events, contracts and invoices;
* :mod:`.verify` — :func:`~.verify.verify_client`: the chain plus a cross-check against
  the stored messages, notes and confirmations, naming every problem by seq and id;
* :mod:`.moves` — a conversation changing client: the ``moved_out`` / ``moved_in`` record
  pair (pure); :mod:`.handover` writes the pair (the store's move hook) and checks
  each half against the other when a chain is verified;
* :mod:`.notes` — oral agreements and the client's written confirmations;
* :mod:`.export` — dispute-ready JSON (:mod:`.export_json`), self-contained HTML and PDF
  (:mod:`.export_pdf`: the HTML's content laid out by reportlab).
"""
