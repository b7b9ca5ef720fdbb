"""Sending e-mail interactions through SMTP."""
