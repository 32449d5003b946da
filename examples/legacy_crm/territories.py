"""Business logic: moves leads and deals between sales territories."""

from .client import ZohoClient


def move_lead(client: ZohoClient, lead_id, territory_ids):
    for territory_id in territory_ids:
        client.assign_territory("Leads", lead_id, territory_id)
    record = client.get_record("Leads", lead_id)
    return record["data"][0]["Territories"]


def clear_deals(client: ZohoClient, deal_ids, territory_ids):
    body = client.remove_territories("Deals", deal_ids, territory_ids)
    for item in body["data"]:
        if item["code"] != "SUCCESS":
            raise ValueError(item["message"])
        if item["message"] == "territories removed successfully":
            print("removed from", item["details"]["id"])
