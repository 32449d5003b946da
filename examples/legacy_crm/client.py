"""A thin client around requests: the territory calls sit behind methods."""

import requests

from .retry import with_retry
from .settings import API_DOMAIN, API_VERSION


class ZohoClient:
    base_url = f"{API_DOMAIN}/crm/{API_VERSION}"

    def __init__(self, token_store):
        self.session = requests.Session()
        self.tokens = token_store

    def _headers(self):
        return {"Authorization": f"Zoho-oauthtoken {self.tokens.access_token}"}

    @with_retry
    def assign_territory(self, module, record_id, territory_id):
        url = f"{self.base_url}/{module}/{record_id}/actions/assign_territories"
        payload = {"data": [{"Territories": [{"id": territory_id}]}]}
        return self.session.post(url, json=payload, headers=self._headers())

    def remove_territories(self, module, record_ids, territory_ids):
        url = "{}/{}/actions/remove_territories".format(self.base_url, module)
        payload = {
            "data": [{"id": rid, "Territories": [{"id": t} for t in territory_ids]} for rid in record_ids]
        }
        response = self.session.post(url, json=payload, headers=self._headers())
        if response.status_code == 400:
            # "the token must have expired": refresh and call again
            self.tokens.refresh()
            return self.remove_territories(module, record_ids, territory_ids)
        return response.json()

    def get_record(self, module, record_id):
        return self.session.get(f"{self.base_url}/{module}/{record_id}", headers=self._headers()).json()
