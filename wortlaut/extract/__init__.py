"""Quotation extractors: `rules` (a linguistic baseline) and `model` (learned); both register by name."""
