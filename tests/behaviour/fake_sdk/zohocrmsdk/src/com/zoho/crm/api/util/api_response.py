class APIResponse(object):
    """What every SDK call returns. get_response_json() exists in 7-0 and 8-0 only, not in 2-1/5-0/6-0."""

    def __init__(self, headers, status_code, response_object, response_json):
        self.__headers = headers
        self.__status_code = status_code
        self.__object = response_object
        self.__response_json = response_json

    def get_headers(self):
        return self.__headers

    def get_status_code(self):
        return self.__status_code

    def get_object(self):
        return self.__object

    def get_response_json(self):
        return self.__response_json
