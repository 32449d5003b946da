"""Assign a territory through the team's session class, which prefixes every path with the API's
base URL, and confirm it (API v7, the answer judged by its code).

Usage: python session_subclass.py BASE_URL TOKEN MODULE RECORD_ID TERRITORY_ID
(BASE_URL is the API domain, such as https://www.zohoapis.com). Prints one JSON line,
{"ok": true, "territories": [...]}, with the territory ids read back from the record; exits 1 on error.
"""

import json
import sys

import requests


class ZohoSession(requests.Session):
    def __init__(self, base_url, token, version="v7"):
        super().__init__()
        self.base = f"{base_url}/crm/{version}"
        self.headers["Authorization"] = f"Zoho-oauthtoken {token}"

    def request(self, method, path, *args, **kwargs):
        return super().request(method, self.base + path, *args, **kwargs)


class TerritoryService:
    def __init__(self, session: ZohoSession):
        self.session = session

    def assign(self, module, record_id, territory_id):
        body = {"data": [{"id": record_id, "Territories": [{"id": territory_id}]}]}
        resp = self.session.post(f"/{module}/actions/assign_territories", json=body, timeout=10)
        resp.raise_for_status()
        item = resp.json()["data"][0]
        if item["code"] != "SUCCESS":
            raise RuntimeError(f"assign failed: {item['code']} {item['message']}")

    def territories(self, module, record_id):
        record = self.session.get(f"/{module}/{record_id}", timeout=10)
        record.raise_for_status()
        return [t["id"] for t in record.json()["data"][0].get("Territories") or []]


def main(argv):
    base_url, token, module, record_id, territory_id = argv
    service = TerritoryService(ZohoSession(base_url, token))
    service.assign(module, record_id, territory_id)
    print(json.dumps({"ok": True, "territories": service.territories(module, record_id)}))


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except (RuntimeError, requests.RequestException) as exc:
        sys.exit(f"error: {exc}")
