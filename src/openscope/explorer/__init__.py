"""The openness explorer: releases side by side (``openscope compare``) and a static website
over many audits (``openscope site``).

Modules: :mod:`.summary` (one release in a few fields), :mod:`.compare` (the side-by-side
table and its formats), :mod:`.collect` (auditing many refs), :mod:`.site` (the website).
"""
