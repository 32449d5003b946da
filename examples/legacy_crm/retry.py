"""A retry policy shared by every Zoho call."""

import functools
import time

OK_STATUSES = {200, 201, 204}


def with_retry(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        for attempt in range(3):
            response = func(*args, **kwargs)
            if response.status_code in OK_STATUSES:
                return response
            time.sleep(2**attempt)
        raise RuntimeError(f"Zoho call failed: {response.status_code}")

    return wrapper
