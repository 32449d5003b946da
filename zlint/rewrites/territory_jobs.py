"""Waiting for Zoho CRM territory jobs: the code `zlint fix --unsafe-fixes` writes into a project.

zlint never imports this module to run it: the fixer copies the functions a rewrite needs (and the
ones they call) into the fixed file, or into the project's helper module, so the fixed code does not
depend on zlint. Each function therefore imports what it uses itself.

Since May 2024 "assign/remove territories" only schedule a job: v2-v6 answer 200 SUCCESS with
``details.job_id``, v7+ answer 202 SCHEDULED. The job is checked with the feature-specific-info
call, keyed by RECORD id; a job no longer listed for its record is done.
"""


def territory_jobs_of(response):
    """Record id -> job id for each scheduled item of a territory answer (empty when nothing waits:
    the old synchronous answer, an error, or a body that is not JSON)."""
    import re

    try:
        if hasattr(response, "get_response_json"):  # the official SDK 7-0/8-0
            body, url = response.get_response_json(), ""
        else:
            body, url = (response.json() if response.content else None), str(response.url)
    except ValueError:
        body, url = None, ""
    match = re.search(r"/crm/v[^/]+/[^/?#]+/([^/?#]+)/actions/", url) or re.search(r"/(\d+)/actions/", url)
    url_record = match.group(1) if match and match.group(1) != "actions" else None
    items = body.get("data") if isinstance(body, dict) else None
    jobs = {}
    for item in items if isinstance(items, list) else []:
        details = item.get("details") if isinstance(item, dict) else None
        if isinstance(details, dict) and details.get("job_id") is not None:
            record = details.get("id") or url_record
            if record is not None:
                jobs[str(record)] = str(details["job_id"])
    return jobs


def territory_module_url(url):
    """``{domain}/crm/{version}/{Module}`` of a territory call's URL, for its feature-specific-info call
    (version v6 at least: older versions have no page for it); through a gateway whose paths have no
    ``/crm/{version}``, the URL up to the module (``{gateway}/Leads``)."""
    import re

    match = re.search(r"^(.*?/crm/)v(\d+)(?:\.\d+)?(/[^/?#]+)", str(url))
    if match is not None:
        version = max(int(match.group(2)), 6)
        return f"{match.group(1)}v{version}{match.group(3)}"
    match = re.search(r"^(.*?)(?:/\d+)?/actions/(?:assign|remove)_territories(?:[?#]|$)", str(url))
    if match is None:
        raise ValueError(f"not a Zoho CRM territory URL: {url}")
    return match.group(1)


def pending_territory_jobs(answer, jobs):
    """The records of ``jobs`` whose job (or, with job id None, any job) the answer still lists."""
    listed = set()
    stack = [answer]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("job_id") is not None:
                listed.add(str(node["job_id"]))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return {record: job for record, job in jobs.items() if (job in listed if job is not None else listed)}


def territory_job_query(jobs):
    """The query of the feature-specific-info call for these records."""
    return {"features": "territory_scheduled_jobs", "ids": ",".join(sorted(jobs))}


def territory_job_answer(status, content, decode):
    """The decoded answer of a feature-specific-info call (None when nothing is pending)."""
    if status >= 400:
        raise RuntimeError(f"the territory job status call failed with HTTP {status}: {content[:200]!r}")
    if status == 204 or not content or not content.strip():
        return None
    return decode()


def wait_for_territory_jobs(response, http=None, timeout=300.0, first_delay=0.5, max_delay=15.0):
    """Wait until the territory jobs a requests/httpx response scheduled have run; return the response.

    ``http`` is the session/client (or the ``requests`` module) whose ``.get`` makes the status call;
    without one, urllib is used with the Authorization header the territory call was sent with.
    Raises TimeoutError naming the records whose job is still pending after ``timeout`` seconds.
    """
    jobs = territory_jobs_of(response)
    if jobs:
        headers = {k: v for k, v in response.request.headers.items() if k.lower() == "authorization"}
        poll_territory_jobs(http, territory_module_url(response.url), jobs, headers, timeout, first_delay, max_delay)
    return response


def wait_for_sdk_territory_jobs(response, module, version="v6", timeout=300.0, first_delay=0.5, max_delay=15.0):
    """Wait until the territory jobs an official Zoho SDK call scheduled have run; return the response.

    SDK 7-0/8-0 keep the job ids in ``response.get_response_json()``; older SDKs drop them, so the
    wait lasts until no job is listed for the records. The status call (which no SDK offers) goes
    to the SDK's environment URL with the SDK's OAuth token.
    """
    try:
        from zohocrmsdk.src.com.zoho.crm.api.initializer import Initializer
    except ImportError:  # zohocrmsdk2-1
        from zcrmsdk.src.com.zoho.crm.api.initializer import Initializer

    if response is None:
        return response
    jobs = {}
    if hasattr(response, "get_response_json"):
        jobs = territory_jobs_of(response)
    else:
        items = getattr(response.get_object(), "get_data", list)() or []
        for item in items:
            details = item.get_details() if hasattr(item, "get_details") else None
            if type(item).__name__ == "SuccessResponse" and isinstance(details, dict) and details.get("id"):
                jobs[str(details["id"])] = None
    if jobs:
        initializer = Initializer.get_initializer()
        token = initializer.token
        if hasattr(token, "get_token"):  # zohocrmsdk 5-0 and later (the token refreshed if it expired)
            headers = {"Authorization": f"Zoho-oauthtoken {token.get_token()}"}
        else:  # zohocrmsdk2-1: the token adds its header to a request, as for the SDK's own calls
            import types

            headers = {}
            token.authenticate(types.SimpleNamespace(add_header=headers.__setitem__))
        module_url = f"{initializer.environment.url.rstrip('/')}/crm/{version}/{module}"
        poll_territory_jobs(None, module_url, jobs, headers, timeout, first_delay, max_delay)
    return response


def poll_territory_jobs(http, module_url, jobs, headers, timeout, first_delay, max_delay):
    """Ask the feature-specific-info call about the records of ``jobs`` until none of their jobs is
    listed, backing off between calls; TimeoutError after ``timeout`` seconds."""
    import functools
    import json
    import time
    import urllib.parse
    import urllib.request

    deadline = time.monotonic() + timeout
    delay = first_delay
    while jobs:
        if http is not None:
            answer = http.get(f"{module_url}/actions/get_feature_specific_info", params=territory_job_query(jobs),
                              headers=headers, timeout=30)
            decoded = territory_job_answer(answer.status_code, answer.content, answer.json)
        else:
            query = urllib.parse.urlencode(territory_job_query(jobs))
            status_call = urllib.request.Request(f"{module_url}/actions/get_feature_specific_info?{query}",
                                                 headers=headers)
            with urllib.request.urlopen(status_call, timeout=30) as answer:
                content = answer.read()
                decoded = territory_job_answer(answer.status, content, functools.partial(json.loads, content))
        jobs = pending_territory_jobs(decoded, jobs)
        if not jobs:
            break
        if time.monotonic() + delay > deadline:
            raise TimeoutError(f"Zoho CRM territory jobs still pending after {timeout} s for records "
                               f"{sorted(jobs)}")
        time.sleep(delay)
        delay = min(delay * 2, max_delay)


async def await_territory_jobs(response, http=None, timeout=300.0, first_delay=0.5, max_delay=15.0):
    """Like wait_for_territory_jobs, for an httpx.AsyncClient response: ``http`` is that client."""
    import asyncio
    import time

    jobs = territory_jobs_of(response)
    if not jobs:
        return response
    if http is None:
        return await asyncio.to_thread(wait_for_territory_jobs, response, None, timeout, first_delay, max_delay)
    module_url = territory_module_url(response.url)
    headers = {k: v for k, v in response.request.headers.items() if k.lower() == "authorization"}
    deadline = time.monotonic() + timeout
    delay = first_delay
    while jobs:
        answer = await http.get(f"{module_url}/actions/get_feature_specific_info",
                                params=territory_job_query(jobs), headers=headers, timeout=30)
        jobs = pending_territory_jobs(territory_job_answer(answer.status_code, answer.content, answer.json), jobs)
        if not jobs:
            break
        if time.monotonic() + delay > deadline:
            raise TimeoutError(f"Zoho CRM territory jobs still pending after {timeout} s for records "
                               f"{sorted(jobs)}")
        await asyncio.sleep(delay)
        delay = min(delay * 2, max_delay)
    return response


def territory_already_scheduled(response):
    """Whether a territory answer is 400 ALREADY_SCHEDULED: a job for the record is still pending,
    so sending the call again (a retry, a token refresh) cannot help."""
    try:
        body = response.json()
    except ValueError:
        return False
    if not isinstance(body, dict):
        return False
    items = body.get("data")
    if not isinstance(items, list):
        items = [body]
    return any(isinstance(item, dict) and item.get("code") == "ALREADY_SCHEDULED" for item in items)
