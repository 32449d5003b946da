"""Connection settings: the API version default lives here, far from the calls that use it."""

import os

API_DOMAIN = os.getenv("ZOHO_API_DOMAIN", "https://www.zohoapis.com")
API_VERSION = os.getenv("ZOHO_API_VERSION", "v5")
