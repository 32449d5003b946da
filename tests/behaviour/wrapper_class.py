"""The team's small Zoho CRM client (API v8): a retrying POST helper and a territory method.

Usage: python wrapper_class.py BASE_URL TOKEN MODULE RECORD_ID TERRITORY_ID
(BASE_URL is the API domain, such as https://www.zohoapis.com). Prints one JSON line,
{"ok": true, "territories": [...]}, with the territory ids read back from the record; exits 1 on error.
"""

import json
import sys
import time

import requests

OK_STATUSES = (200, 201, 204)


class CrmError(Exception):
    pass


class CrmClient:
    def __init__(self, base_url, token, version="v8", attempts=3, backoff=0.05):
        self.api_url = f"{base_url}/crm/{version}"
        self.attempts = attempts
        self.backoff = backoff
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Zoho-oauthtoken {token}"

    def _post(self, path, payload):
        for attempt in range(self.attempts):
            resp = self.session.post(f"{self.api_url}/{path}", json=payload, timeout=10)
            if resp.status_code in OK_STATUSES:
                return resp
            if resp.status_code in (401, 403, 404):
                raise CrmError(f"HTTP {resp.status_code}: {resp.text}")
            if resp.status_code == 400:
                # Zoho answers 400 now and then under load: give it a moment and send again
                time.sleep(self.backoff * 2**attempt)
                continue
            time.sleep(self.backoff * 2**attempt)
        raise CrmError(f"gave up after {self.attempts} attempts: HTTP {resp.status_code} {resp.text}")

    def assign_territory(self, module, record_id, territory_id):
        payload = {"data": [{"id": record_id, "Territories": [{"id": territory_id}]}]}
        return self._post(f"{module}/actions/assign_territories", payload).json()

    def get_record(self, module, record_id):
        resp = self.session.get(f"{self.api_url}/{module}/{record_id}", timeout=10)
        resp.raise_for_status()
        return resp.json()["data"][0]


def main(argv):
    base_url, token, module, record_id, territory_id = argv
    client = CrmClient(base_url, token)
    client.assign_territory(module, record_id, territory_id)
    record = client.get_record(module, record_id)
    territories = [t["id"] for t in record.get("Territories") or []]
    print(json.dumps({"ok": True, "territories": territories}))


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except (CrmError, requests.RequestException) as exc:
        sys.exit(f"error: {exc}")
