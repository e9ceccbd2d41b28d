"""Baselines that evaluations print beside the product's models (never shipped)."""
