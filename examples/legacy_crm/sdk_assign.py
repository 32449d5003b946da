"""Territory assignment through the official SDK (zohocrmsdk7-0), as Zoho's samples do it."""

from zohocrmsdk.src.com.zoho.crm.api.record import RecordOperations, SuccessResponse


def assign_contacts(request):
    response = RecordOperations("Contacts").assign_territories_to_multiple_records(request)
    if response is None:
        return []
    done = []
    for item in response.get_object().get_data():
        if isinstance(item, SuccessResponse):
            done.append(item.get_details()["job_id"])
    return done
