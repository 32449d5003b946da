class BodyWrapper(object):
    """The request body of the record calls: {"data": [record, ...]}."""

    def __init__(self):
        self.__data = None

    def get_data(self):
        return self.__data

    def set_data(self, data):
        self.__data = data

    def to_json(self):
        return {"data": [record.to_json() for record in self.__data or []]}
