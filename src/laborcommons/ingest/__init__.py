"""Readers (CSV, XLSX, JSON, JSON Lines, XML), schema inference and validation reports."""
