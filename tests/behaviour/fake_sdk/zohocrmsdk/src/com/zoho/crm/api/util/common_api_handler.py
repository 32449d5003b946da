import json
import logging
import urllib.error
import urllib.request

from ..exception import SDKException
from .api_response import APIResponse


class CommonAPIHandler(object):
    """Sends one API call and turns the answer into model objects, as the SDK does.

    Like the real SDK it returns None (after logging) when the answer cannot be converted, and it
    keeps in the models only the keys the SDK knows (so ``details.job_id`` is lost).
    """

    def api_call(self, method, api_path, request=None, convert=None):
        from ..initializer import Initializer

        initializer = Initializer.get_initializer()
        if initializer is None:
            raise SDKException("SDK UNINITIALIZATION ERROR", "call Initializer.initialize() first")
        headers = {"Content-Type": "application/json"}
        initializer.token.authenticate(headers)
        body = None if request is None else json.dumps(request.to_json()).encode()
        call = urllib.request.Request(initializer.environment.url + api_path, data=body, headers=headers, method=method)
        try:
            with urllib.request.urlopen(call, timeout=30) as answer:
                status, answer_headers, raw = answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as error:
            status, answer_headers, raw = error.code, dict(error.headers), error.read()
        except OSError as error:
            raise SDKException(cause=error) from error
        if not raw:
            return APIResponse(answer_headers, status, None, None)
        try:
            payload = json.loads(raw)
            return APIResponse(answer_headers, status, convert(payload), payload)
        except Exception as error:  # the real SDK logs and swallows conversion errors as well
            logging.getLogger("SDKLogger").info("Exception in API call: %s", error)
            return None
