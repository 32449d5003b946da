"""Assign a territory with the official SDK (zohocrmsdk8-0), the way Zoho's samples do it.

Usage: python sdk_style.py BASE_URL TOKEN MODULE RECORD_ID TERRITORY_ID
(BASE_URL is the API domain, such as https://www.zohoapis.com). Prints one JSON line,
{"ok": true, "territories": [...]}, with the territory ids read back from the record; exits 1 on error.
"""

import json
import sys

from zohocrmsdk.src.com.zoho.api.authenticator.oauth_token import OAuthToken
from zohocrmsdk.src.com.zoho.crm.api.dc import DataCenter, USDataCenter
from zohocrmsdk.src.com.zoho.crm.api.initializer import Initializer
from zohocrmsdk.src.com.zoho.crm.api.record import BodyWrapper, Record, RecordOperations, SuccessResponse, Territory


def init_sdk(base_url, token):
    us = USDataCenter()
    environment = DataCenter.Environment(base_url, us.get_iam_url(), us.get_file_upload_url())
    Initializer.initialize(environment=environment, token=OAuthToken(access_token=token))


def assign_territory(module, record_id, territory_id):
    territory = Territory()
    territory.set_id(int(territory_id))
    record = Record()
    record.set_id(int(record_id))
    record.add_key_value("Territories", [territory])
    request = BodyWrapper()
    request.set_data([record])
    response = RecordOperations(module).assign_territories_to_multiple_records(request)
    if response is None or response.get_status_code() != 200:
        raise RuntimeError(f"assign failed: HTTP {response and response.get_status_code()}")
    for item in response.get_object().get_data():
        if not isinstance(item, SuccessResponse) or item.get_code().get_value() != "SUCCESS":
            raise RuntimeError(f"assign failed: {item.get_code().get_value()} {item.get_details()}")
    answer = RecordOperations(module).get_record(int(record_id))
    territories = answer.get_object().get_data()[0].get_key_value("Territories") or []
    return [str(t["id"]) for t in territories]


def main(argv):
    base_url, token, module, record_id, territory_id = argv
    init_sdk(base_url, token)
    territories = assign_territory(module, record_id, territory_id)
    print(json.dumps({"ok": True, "territories": territories}))


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except RuntimeError as exc:
        sys.exit(f"error: {exc}")
