"""Helpers shared by functional tests."""
