"""Credentials verified as AppSync verifies them, one module per authorization mode. See
../README.md."""
