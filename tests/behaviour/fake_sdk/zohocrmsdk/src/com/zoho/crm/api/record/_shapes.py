class DataHolder(object):
    """What the SDK's wrappers share: a ``data`` list with its getter and setter."""

    def __init__(self):
        self.__data = None

    def get_data(self):
        return self.__data

    def set_data(self, data):
        self.__data = data


class ActionItem(object):
    """What SuccessResponse and APIException share: status, code, message and details."""

    def __init__(self):
        self.__status = None
        self.__code = None
        self.__message = None
        self.__details = None

    def get_status(self):
        return self.__status

    def set_status(self, status):
        self.__status = status

    def get_code(self):
        return self.__code

    def set_code(self, code):
        self.__code = code

    def get_message(self):
        return self.__message

    def set_message(self, message):
        self.__message = message

    def get_details(self):
        return self.__details

    def set_details(self, details):
        self.__details = details
