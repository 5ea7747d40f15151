"""Signals: evidence about a submission beyond the fix.

``tests`` runs the candidate's own test suite against their pipeline, the reference, the
untouched bundle and each single-fault pipeline (``signals.tests`` in result.json);
``targets`` is the part of the key it needs (``key/renders/``) and ``junit`` reads pytest's
reports. ``poisoned`` judges how the pipeline behaves on poisoned exports, where the
hidden datasets cannot tell (``signals.poisoned``).
"""
