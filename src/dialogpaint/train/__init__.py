"""Training: the VAE of the tiny model (vae.py), the editor with eq. 2 (editor.py), the whole
DialogPaint-Tiny recipe (recipe.py), export to a diffusers folder (export.py)."""
