class ActionWrapper(object):
    """The object of an action answer: get_data() lists SuccessResponse / APIException items."""

    def __init__(self):
        self.__data = None

    def get_data(self):
        return self.__data

    def set_data(self, data):
        self.__data = data
