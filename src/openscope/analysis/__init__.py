"""Analyses that roll evidence up into report sections (documentation, ethics)."""
