"""Dataset construction (paper Sec. 3.1): edit pairs (edits.py) and, later, dialogues."""
