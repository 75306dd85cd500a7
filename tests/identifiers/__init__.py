"""Tests of leaktrace.identifiers."""
