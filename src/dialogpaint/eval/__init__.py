"""Evaluation: the editing benchmark on held-out world edits (editor.py)."""
