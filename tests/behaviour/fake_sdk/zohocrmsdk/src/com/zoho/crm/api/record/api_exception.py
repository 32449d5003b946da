class APIException(object):
    """An error answer: a data[] item with status "error", or a whole error body without data."""

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
