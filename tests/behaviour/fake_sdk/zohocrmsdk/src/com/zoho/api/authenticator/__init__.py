# ruff: noqa: F401  (package re-exports, as in the real SDK)
from .token import Token
from .oauth_token import OAuthToken
