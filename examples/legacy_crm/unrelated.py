"""Code that looks like territory work but is not: zlint must stay silent here.

POST /crm/v2/Leads/actions/assign_territories is named in this docstring only.
"""

import requests

ZOHO = "https://www.zohoapis.com/crm/v2"


def mass_update_status(job_id):
    # the mass-update job poll uses job_id too, but it is another API
    resp = requests.get(f"{ZOHO}/Leads/actions/mass_update", params={"job_id": job_id})
    return resp.status_code == 200 and resp.json()["data"][0]["Status"] == "COMPLETED"


def territory_settings():
    resp = requests.get(f"{ZOHO}/settings/territories")
    if resp.status_code == 200:
        return resp.json()["territories"]
    return []
