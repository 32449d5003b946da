"""Put a record into a sales territory and confirm it: raw requests on API v2.1, written in 2023.

Usage: python requests_sync.py BASE_URL TOKEN MODULE RECORD_ID TERRITORY_ID
(BASE_URL is the API domain, such as https://www.zohoapis.com). Prints one JSON line,
{"ok": true, "territories": [...]}, with the territory ids read back from the record; exits 1 on error.
"""

import json
import sys

import requests

API_VERSION = "v2.1"

session = requests.Session()


def assign_and_confirm(base_url, module, record_id, territory_id):
    api = f"{base_url}/crm/{API_VERSION}"
    resp = session.post(
        f"{api}/{module}/{record_id}/actions/assign_territories",
        json={"data": [{"Territories": [{"id": territory_id}]}]},
        timeout=10,
    )
    if resp.status_code != 200:
        raise RuntimeError(f"assign failed: HTTP {resp.status_code} {resp.text}")
    item = resp.json()["data"][0]
    if item["code"] != "SUCCESS":
        raise RuntimeError(f"assign failed: {item['code']} {item['message']}")
    record = session.get(f"{api}/{module}/{record_id}", timeout=10)
    record.raise_for_status()
    territories = record.json()["data"][0].get("Territories") or []
    return [t["id"] for t in territories]


def main(argv):
    base_url, token, module, record_id, territory_id = argv
    session.headers["Authorization"] = f"Zoho-oauthtoken {token}"
    territories = assign_and_confirm(base_url, module, record_id, territory_id)
    print(json.dumps({"ok": True, "territories": territories}))


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except (RuntimeError, requests.RequestException) as exc:
        sys.exit(f"error: {exc}")
