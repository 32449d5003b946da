"""Recorded HTTP exchanges (cassettes, HAR, Postman, fixtures): loading them and checking each
territory exchange against the response contracts of its API version."""
