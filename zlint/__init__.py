"""zlint: an API compatibility and migration linter for Zoho CRM's scheduled territory jobs."""

__version__ = "0.1.0"
