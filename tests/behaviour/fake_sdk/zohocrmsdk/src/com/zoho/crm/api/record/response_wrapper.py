class ResponseWrapper(object):
    """The object of a read answer: get_data() lists Record objects."""

    def __init__(self):
        self.__data = None

    def get_data(self):
        return self.__data

    def set_data(self, data):
        self.__data = data
