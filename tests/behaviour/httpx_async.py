"""Assign a territory from an async service with httpx on API v7, and report the record's territories.

Usage: python httpx_async.py BASE_URL TOKEN MODULE RECORD_ID TERRITORY_ID
(BASE_URL is the API domain, such as https://www.zohoapis.com). Prints one JSON line,
{"ok": true, "territories": [...]}, with the territory ids read back from the record; exits 1 on error.
"""

import asyncio
import json
import sys

import httpx

API_VERSION = "v7"


async def assign_territory(base_url, token, module, record_id, territory_id):
    headers = {"Authorization": f"Zoho-oauthtoken {token}"}
    async with httpx.AsyncClient(base_url=f"{base_url}/crm/{API_VERSION}", headers=headers, timeout=10) as client:
        resp = await client.post(
            f"/{module}/actions/assign_territories",
            json={"data": [{"id": record_id, "Territories": [{"id": territory_id}]}]},
        )
        resp.raise_for_status()
        for item in resp.json()["data"]:
            if item["code"] != "SUCCESS":
                raise RuntimeError(f"record {item['details'].get('id')}: {item['code']} {item['message']}")
        record = await client.get(f"/{module}/{record_id}")
        record.raise_for_status()
        return [t["id"] for t in record.json()["data"][0].get("Territories") or []]


def main(argv):
    territories = asyncio.run(assign_territory(*argv))
    print(json.dumps({"ok": True, "territories": territories}))


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except (RuntimeError, httpx.HTTPError) as exc:
        sys.exit(f"error: {exc}")
