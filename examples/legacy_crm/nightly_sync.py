"""A cron job that assigns accounts to territories with plain requests on v2.1."""

import requests

ZOHO = "https://www.zohoapis.com/crm/v2.1"


def assign_account(account_id, territory_id, token):
    headers = {"Authorization": f"Zoho-oauthtoken {token}"}
    resp = requests.post(
        f"{ZOHO}/Accounts/{account_id}/actions/assign_territories",
        json={"data": [{"Territories": [{"id": territory_id}]}]},
        headers=headers,
    )
    if resp.status_code != 200:
        raise RuntimeError(resp.text)
    account = requests.get(f"{ZOHO}/Accounts/{account_id}", headers=headers).json()
    return account["data"][0]["Territories"]
